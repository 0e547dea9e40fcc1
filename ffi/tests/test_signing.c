/* Signed updates through the C face: `esafety_bundle_verify` (advisory: a
 * loaded bundle checked afterwards) and `esafety_bundle_from_verified_bytes`
 * (verify, then load: no bundle unless the signature holds). The suite
 * writes a bundle, its signature, a signed file that is not a bundle and
 * two public keys with the CLI (`esafety keygen`, `esafety sign`) into
 * $ESAFETY_SIGNED (scripts/suites/ffi.sh). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define S(lit) lit, sizeof(lit) - 1

static const char *signed_dir;

static char *load_signed(const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", signed_dir, name);
  char *text = read_file(path, len);
  if (text == NULL) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  return text;
}

static void test_verify_loaded_bundle(void) {
  char path[4096];
  snprintf(path, sizeof path, "%s/lists.esb", signed_dir);
  esafety_bundle *bundle = NULL;
  CHECK_STATUS(esafety_bundle_from_file(path, &bundle), ESAFETY_STATUS_OK);
  size_t sig_len = 0, pub_len = 0, other_len = 0;
  char *sig = load_signed("lists.esb.sig", &sig_len);
  char *pub = load_signed("publisher.pub", &pub_len);
  char *other = load_signed("stranger.pub", &other_len);

  CHECK_STATUS(esafety_bundle_verify(bundle, sig, sig_len, pub, pub_len), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_bundle_verify(bundle, sig, sig_len, other, other_len),
               ESAFETY_STATUS_INVALID_SIGNATURE);
  CHECK_ERROR_MENTIONS("is signed by key");
  /* One character of the signature changed. */
  char *forged = malloc(sig_len);
  CHECK(forged != NULL);
  if (forged != NULL) {
    memcpy(forged, sig, sig_len);
    size_t at = sig_len - 5;
    forged[at] = forged[at] == 'A' ? 'B' : 'A';
    CHECK_STATUS(esafety_bundle_verify(bundle, forged, sig_len, pub, pub_len),
                 ESAFETY_STATUS_INVALID_SIGNATURE);
    free(forged);
  }
  /* A signature of another bundle (the sample) is refused. */
  esafety_bundle *sample = NULL;
  CHECK_STATUS(esafety_bundle_sample(&sample), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_bundle_verify(sample, sig, sig_len, pub, pub_len),
               ESAFETY_STATUS_INVALID_SIGNATURE);
  CHECK_ERROR_MENTIONS("does not match the file");
  /* Not a key; missing arguments. */
  CHECK_STATUS(esafety_bundle_verify(bundle, sig, sig_len, S("ssh-ed25519 AAAA")),
               ESAFETY_STATUS_INVALID_SIGNATURE);
  CHECK_ERROR_MENTIONS("not an esafety public key");
  CHECK_STATUS(esafety_bundle_verify(NULL, sig, sig_len, pub, pub_len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_verify(bundle, NULL, 1, pub, pub_len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_verify(bundle, sig, 5000, pub, pub_len), ESAFETY_STATUS_TOO_LARGE);
  esafety_bundle_free(sample);
  esafety_bundle_free(bundle);
  free(sig);
  free(pub);
  free(other);
}

/* One refused verified load: the status, NULL in *out, and the message. */
#define CHECK_REFUSED(bytes, len, sig, sig_len, key, key_len, status, needle)          \
  do {                                                                               \
    esafety_bundle *refused_ = (esafety_bundle *)&signed_dir; /* not NULL */         \
    CHECK_STATUS(esafety_bundle_from_verified_bytes((const uint8_t *)(bytes), (len), \
                                                    (sig), (sig_len), (key),          \
                                                    (key_len), &refused_),            \
                 (status));                                                          \
    CHECK(refused_ == NULL);                                                         \
    CHECK_ERROR_MENTIONS(needle);                                                    \
  } while (0)

static void test_verified_bytes(void) {
  size_t len = 0, sig_len = 0, pub_len = 0, other_len = 0, text_len = 0, text_sig_len = 0;
  char *bytes = load_signed("lists.esb", &len);
  char *sig = load_signed("lists.esb.sig", &sig_len);
  char *pub = load_signed("publisher.pub", &pub_len);
  char *other = load_signed("stranger.pub", &other_len);
  char *text = load_signed("gambling.txt", &text_len);
  char *text_sig = load_signed("gambling.txt.sig", &text_sig_len);

  /* The publisher's signature of these bytes: a bundle, which decides. */
  esafety_bundle *bundle = NULL;
  CHECK_STATUS(esafety_bundle_from_verified_bytes((const uint8_t *)bytes, len, sig, sig_len,
                                                  pub, pub_len, &bundle),
               ESAFETY_STATUS_OK);
  CHECK(bundle != NULL);
  if (bundle != NULL) {
    const uint8_t *held = NULL;
    size_t held_len = 0;
    CHECK_STATUS(esafety_bundle_bytes(bundle, &held, &held_len), ESAFETY_STATUS_OK);
    CHECK(held_len == len && memcmp(held, bytes, len) == 0 && held != (const uint8_t *)bytes);
    esafety_classification c;
    CHECK_STATUS(esafety_classify(bundle, S("http://bet.example/"), &c), ESAFETY_STATUS_OK);
    CHECK(c.categories != 0);
    esafety_bundle_free(bundle);
  }

  /* Unsigned: an empty signature is refused; so is no signature at all. */
  CHECK_REFUSED(bytes, len, "", 0, pub, pub_len, ESAFETY_STATUS_INVALID_SIGNATURE,
                "not an esafety signature: it is empty");
  CHECK_REFUSED(bytes, len, NULL, 0, pub, pub_len, ESAFETY_STATUS_NULL_PARAMETER, "signature");
  /* Another key; a key that is not esafety's; no key. */
  CHECK_REFUSED(bytes, len, sig, sig_len, other, other_len, ESAFETY_STATUS_INVALID_SIGNATURE,
                "is signed by key");
  CHECK_REFUSED(bytes, len, sig, sig_len, "ssh-ed25519 AAAA", 16, ESAFETY_STATUS_INVALID_SIGNATURE,
                "not an esafety public key");
  CHECK_REFUSED(bytes, len, sig, sig_len, NULL, 0, ESAFETY_STATUS_NULL_PARAMETER, "public_key");
  /* The signature of another file by the same key. */
  CHECK_REFUSED(bytes, len, text_sig, text_sig_len, pub, pub_len,
                ESAFETY_STATUS_INVALID_SIGNATURE, "does not match the file");
  /* Signed by the key, but not a bundle: verified, then refused as a bundle. */
  CHECK_REFUSED(text, text_len, text_sig, text_sig_len, pub, pub_len,
                ESAFETY_STATUS_INVALID_BUNDLE, "not an esafety bundle");

  /* Bytes of the bundle changed in turn, every 13th (dozens of
   * verifications, quick under valgrind too): each refused before it is
   * read. */
  char *changed = malloc(len);
  CHECK(changed != NULL);
  if (changed != NULL) {
    size_t refused = 0, tried = 0;
    for (size_t at = 0; at < len; at += 13) {
      memcpy(changed, bytes, len);
      changed[at] ^= 0x01;
      esafety_bundle *b = NULL;
      tried++;
      if (esafety_bundle_from_verified_bytes((const uint8_t *)changed, len, sig, sig_len, pub,
                                             pub_len, &b) == ESAFETY_STATUS_INVALID_SIGNATURE &&
          b == NULL)
        refused++;
      esafety_bundle_free(b);
    }
    CHECK(tried > 0 && refused == tried);
    /* Truncated by one byte. */
    CHECK_REFUSED(changed, len - 1, sig, sig_len, pub, pub_len, ESAFETY_STATUS_INVALID_SIGNATURE,
                  "does not match the file");
    free(changed);
  }

  /* Every 4th character of the signature's base64 changed in turn: refused. */
  char *forged = malloc(sig_len);
  CHECK(forged != NULL);
  if (forged != NULL) {
    const char *b64 = strrchr(sig, ' ');
    size_t from = b64 == NULL ? 0 : (size_t)(b64 - sig) + 1;
    size_t refused = 0, tried = 0;
    for (size_t at = from; at < sig_len && sig[at] != '\n' && sig[at] != '='; at += 4) {
      memcpy(forged, sig, sig_len);
      forged[at] = forged[at] == 'A' ? 'B' : 'A';
      esafety_bundle *b = NULL;
      tried++;
      if (esafety_bundle_from_verified_bytes((const uint8_t *)bytes, len, forged, sig_len, pub,
                                             pub_len, &b) == ESAFETY_STATUS_INVALID_SIGNATURE &&
          b == NULL)
        refused++;
      esafety_bundle_free(b);
    }
    CHECK(tried >= 20 && refused == tried);
    free(forged);
  }

  /* Bad buffers: NULL out, NULL bytes, a text over 4096 bytes, bad UTF-8. */
  CHECK_STATUS(esafety_bundle_from_verified_bytes((const uint8_t *)bytes, len, sig, sig_len, pub,
                                                  pub_len, NULL),
               ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_REFUSED(NULL, 0, sig, sig_len, pub, pub_len, ESAFETY_STATUS_NULL_PARAMETER, "bytes");
  CHECK_REFUSED(bytes, len, sig, 5000, pub, pub_len, ESAFETY_STATUS_TOO_LARGE, "signature");
  CHECK_REFUSED(bytes, len, "\xff\xfe", 2, pub, pub_len, ESAFETY_STATUS_INVALID_UTF8, "signature");

  free(bytes);
  free(sig);
  free(pub);
  free(other);
  free(text);
  free(text_sig);
}

int main(void) {
  signed_dir = getenv("ESAFETY_SIGNED");
  if (signed_dir == NULL) {
    fprintf(stderr, "test_signing: set ESAFETY_SIGNED (scripts/suites/ffi.sh writes it)\n");
    return 2;
  }
  test_verify_loaded_bundle();
  test_verified_bytes();
  esafety_string_free(NULL);
  return check_report("test_signing");
}
