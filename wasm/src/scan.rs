//! Phrase scanning: `new Scanner(files, options?)`, `scanner.scan(text,
//! limit?)`, `scanner.scanSearchTerms(terms, limit?)`, `scanner.stream()`.

use std::collections::BTreeMap;

use esafety::content::{
    CaseMode, ContentLimit, ContentStream, Counting, ListKind, PassMode, PhraseList, PhraseOptions,
    ScanOptions, ScannerBuilder,
};
use wasm_bindgen::prelude::*;

use crate::boundary;
use crate::error::{Code, Failure};
use crate::to_js;

/// The options object of `new Scanner`.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Options {
    /// The top-level lists, by name in `files` (default: every file).
    lists: Option<Vec<String>>,
    passes: Option<String>,
    case: Option<String>,
    #[serde(rename = "countOccurrences")]
    count_occurrences: Option<bool>,
    /// e2guardian list category → esafety category id.
    categories: Option<BTreeMap<String, String>>,
    strict: Option<bool>,
}

/// The fields of [`Options`], as JavaScript spells them.
const OPTION_NAMES: [&str; 6] = [
    "lists",
    "passes",
    "case",
    "countOccurrences",
    "categories",
    "strict",
];

fn argument(message: impl std::fmt::Display) -> Failure {
    Failure::new(Code::InvalidArgument, message)
}

fn phrases(e: esafety::content::ContentError) -> Failure {
    Failure::new(e.code(), e)
}

/// Reads the `limit` argument: a number of points or an audience name
/// (`young-children` 50, the default; `older-children` 100;
/// `young-adults` 160).
fn limit(value: &JsValue) -> Result<u32, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(ContentLimit::YoungChildren.points());
    }
    if let Some(n) = value.as_f64() {
        if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
            return Ok(ContentLimit::Points(n as u32).points());
        }
        return Err(argument(format!(
            "`{n}` is not a content limit; give a whole number of points from 0 to {}",
            u32::MAX
        )));
    }
    if let Some(text) = value.as_string() {
        return text
            .parse::<ContentLimit>()
            .map(ContentLimit::points)
            .map_err(argument);
    }
    Err(argument(
        "a content limit must be a number or `young-children`, `older-children` or `young-adults`",
    ))
}

/// The bytes of a text argument: a string (as UTF-8) or a `Uint8Array`.
fn text_bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, Failure> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    boundary::bytes(value, what).map_err(|_| {
        argument(format!(
            "`{what}` must be a string, a Uint8Array or an ArrayBuffer"
        ))
    })
}

/// e2guardian phrase lists compiled once; scans texts as e2guardian scans
/// pages.
#[wasm_bindgen]
pub struct Scanner {
    inner: esafety::content::Scanner,
}

#[wasm_bindgen]
impl Scanner {
    /// Compiles phrase lists given as `files`, an object of file path →
    /// list text (string or `Uint8Array`): the top-level lists
    /// (`options.lists`, default every file) and every file their
    /// `.Include<path>` lines name (a relative path is from the including
    /// file's folder). A name starting `exception` is an exception list,
    /// `banned` a banned list, any other weighted.
    ///
    /// `options`: `passes` (`both`, `smart`, `raw`), `case` (`fold`,
    /// `preserve`, `both`), `countOccurrences`, `categories` (list
    /// category → esafety category id), `strict` (refuse lines e2guardian
    /// reads as other than they look).
    ///
    /// Throws an `Error` with code `invalid-phrases` (a list esafety
    /// refuses, naming file and line), `io` (an include not in `files`) or
    /// `invalid-argument`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string | Uint8Array>")]
        files: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScannerOptions")] options: Option<JsValue>,
    ) -> Result<Scanner, JsValue> {
        Ok(Scanner::build(&files, options.as_ref())?)
    }

    fn build(files: &JsValue, options: Option<&JsValue>) -> Result<Scanner, Failure> {
        if !files.is_object() {
            return Err(argument(
                "`files` must be an object of file path to phrase-list text",
            ));
        }
        let mut texts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for entry in boundary::entries(files, "files")?.iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let name = pair
                .get(0)
                .as_string()
                .ok_or_else(|| argument("a file name in `files` is not a string"))?;
            let bytes = text_bytes(&pair.get(1), &name)?;
            texts.insert(name, bytes);
        }
        let options: Options = match options {
            Some(v) if !v.is_undefined() && !v.is_null() => {
                // serde-wasm-bindgen reads only the fields it knows, so an
                // unknown (misspelt) option is looked for here.
                let v = &boundary::plain(v, "options", Code::InvalidArgument)?;
                if v.is_object() {
                    let keys = boundary::keys(v)
                        .ok_or_else(|| argument("cannot read the keys of `options`"))?;
                    for key in keys.iter() {
                        let key = key.as_string().unwrap_or_default();
                        if !OPTION_NAMES.contains(&key.as_str()) {
                            return Err(argument(format!(
                                "`{key}` is not a scanner option; use {}",
                                OPTION_NAMES.map(|n| format!("`{n}`")).join(", ")
                            )));
                        }
                    }
                }
                serde_wasm_bindgen::from_value(v.clone())
                    .map_err(|e| argument(format!("bad scanner options: {e}")))?
            }
            _ => Options::default(),
        };
        let passes = options
            .passes
            .as_deref()
            .map(str::parse::<PassMode>)
            .transpose()
            .map_err(argument)?
            .unwrap_or_default();
        let case = options
            .case
            .as_deref()
            .map(str::parse::<CaseMode>)
            .transpose()
            .map_err(argument)?
            .unwrap_or_default();
        let counting = if options.count_occurrences.unwrap_or(false) {
            Counting::Occurrences
        } else {
            Counting::OncePerPass
        };
        let mut builder = ScannerBuilder::new();
        builder.options(ScanOptions {
            passes,
            case,
            counting,
        });
        let parse = PhraseOptions::new().with_strict(options.strict.unwrap_or(false));
        let lists = options
            .lists
            .unwrap_or_else(|| texts.keys().cloned().collect());
        for name in &lists {
            let bytes = texts
                .get(name)
                .ok_or_else(|| argument(format!("`{name}` is in `lists` but not in `files`")))?;
            let mut loader = |path: &str| {
                texts.get(path).cloned().ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, "not in `files`")
                })
            };
            let list = PhraseList::parse_with_includes(
                name,
                bytes,
                ListKind::detect(name),
                &parse,
                &mut loader,
            )
            .map_err(phrases)?;
            builder.add_list(list);
        }
        for (name, id) in options.categories.unwrap_or_default() {
            builder.map_category(&name, &id).map_err(phrases)?;
        }
        Ok(Scanner {
            inner: builder.build().map_err(phrases)?,
        })
    }

    /// Scans a text (a page's HTML or text, a string or the body's bytes)
    /// and judges it against `limit` (points or an audience name; default
    /// `young-children`, 50): the `esafety scan --json` object `{score,
    /// verdict, reason, limit, pass, categories, hits}`.
    #[wasm_bindgen(unchecked_return_type = "ContentScore")]
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ContentLimit")] limit: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let limit = self::limit(&limit.unwrap_or(JsValue::UNDEFINED))?;
        let text = text_bytes(&text, "text")?;
        Ok(to_js(&self.inner.scan(&text).judge(limit))?)
    }

    /// Scans search terms as e2guardian does (one raw pass over the terms
    /// between spaces) and judges them against `limit`.
    #[wasm_bindgen(js_name = scanSearchTerms, unchecked_return_type = "ContentScore")]
    pub fn scan_search_terms(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] terms: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ContentLimit")] limit: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let limit = self::limit(&limit.unwrap_or(JsValue::UNDEFINED))?;
        let terms = boundary::strings(&terms, "terms")?;
        let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
        Ok(to_js(&self.inner.scan_search_terms(&terms).judge(limit))?)
    }

    /// A stream for a text that arrives in pieces: `feed` each piece, then
    /// `finish(limit)`; a phrase split between pieces counts as in the
    /// whole text.
    pub fn stream(&self) -> ScanStream {
        ScanStream {
            inner: Some(self.inner.stream()),
        }
    }

    /// The number of distinct phrases compiled.
    #[wasm_bindgen(getter, js_name = phraseCount)]
    pub fn phrase_count(&self) -> usize {
        self.inner.phrase_count()
    }
}

/// A text being scanned in pieces (`scanner.stream()`).
#[wasm_bindgen]
pub struct ScanStream {
    inner: Option<ContentStream>,
}

#[wasm_bindgen]
impl ScanStream {
    /// Scans the next piece (a string as UTF-8, or bytes).
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] chunk: JsValue,
    ) -> Result<(), JsValue> {
        let bytes = text_bytes(&chunk, "chunk")?;
        let stream = self.inner.as_mut().ok_or_else(finished)?;
        stream.feed(&bytes);
        Ok(())
    }

    /// Ends the text and judges it against `limit`, as `scanner.scan`
    /// does. The stream cannot be fed again.
    #[wasm_bindgen(unchecked_return_type = "ContentScore")]
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "ContentLimit")] limit: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let limit = self::limit(&limit.unwrap_or(JsValue::UNDEFINED))?;
        let stream = self.inner.take().ok_or_else(finished)?;
        Ok(to_js(&stream.finish().judge(limit))?)
    }
}

#[wasm_bindgen]
impl Scanner {
    /// Decides `request` (`{url, time, group?, age?, device?}`, as
    /// `engine.decide`) with its content scored: the page text `page`
    /// (a string or the body's bytes; omitted: the URL alone) and the
    /// URL's search terms, for the policy's and its rules'
    /// `content_limit`s. The `esafety check --json` object, with
    /// `content: [{source, score, limit, crossed, explanation, categories,
    /// phrases}]`. All the deciding is the core's
    /// (`Engine::check_with_content`).
    ///
    /// Throws as `engine.decide` (`invalid-request`, `invalid-url`), and
    /// `invalid-argument` for a `page` that is not text or bytes: block on
    /// any (fail closed).
    #[wasm_bindgen(unchecked_return_type = "DecisionReport")]
    pub fn decide(
        &self,
        engine: &crate::Engine,
        #[wasm_bindgen(unchecked_param_type = "DecideRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Uint8Array")] page: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let page = match page {
            Some(p) if !p.is_undefined() => Some(self.inner.scan(&text_bytes(&p, "page")?)),
            _ => None,
        };
        crate::request::with_scratch(|scratch| -> Result<JsValue, JsValue> {
            let request = crate::request::JsRequest::read(&request, scratch)?;
            let report = engine
                .core()
                .check_with_content(
                    &request.request.url,
                    request.context(),
                    &self.inner,
                    page.as_ref(),
                )
                .map_err(|e| Failure::new(Code::InvalidUrl, e))?;
            Ok(to_js(&report)?)
        })
    }
}

fn finished() -> Failure {
    argument("the stream is already finished; start another with `scanner.stream()`")
}
