//! Every key of a bundle's maps, for the exports ([`crate::export`]).

use super::fst_reader::WalkError;
use super::{Bundle, BundleError};

impl<B: AsRef<[u8]>> Bundle<B> {
    /// Calls `visit` with every host of the hosts map (in the order of its
    /// reversed key), its list set (0: only path entries) and whether it has
    /// path entries.
    ///
    /// # Errors
    ///
    /// [`BundleError::Section`] when a node of the map does not decode or
    /// the map holds more keys than its footer says.
    pub(crate) fn for_each_host(
        &self,
        mut visit: impl FnMut(&str, usize, bool),
    ) -> Result<(), BundleError> {
        let mut host = String::new();
        let walked = self
            .hosts_fst()
            .for_each(self.hosts.len(), |reversed, value| {
                host.clear();
                // Keys are canonical hosts (ASCII) written backwards.
                host.extend(reversed.iter().rev().map(|&b| char::from(b)));
                let set = usize::try_from(value >> 1).unwrap_or(0);
                visit(&host, set, value & 1 == 1);
            });
        walk_result("hosts", walked, self.hosts.len())
    }

    /// Calls `visit` with every key of the paths map (`host/path[?query]`),
    /// its exact-entry list set and its prefix-entry list set (0: none).
    ///
    /// # Errors
    ///
    /// As [`Bundle::for_each_host`].
    pub(crate) fn for_each_path(
        &self,
        mut visit: impl FnMut(&str, usize, usize),
    ) -> Result<(), BundleError> {
        let mut bad_key = false;
        let walked = self.paths_fst().for_each(self.paths.len(), |key, value| {
            match std::str::from_utf8(key) {
                Ok(key) => visit(
                    key,
                    usize::try_from(value & 0xffff_ffff).unwrap_or(0),
                    usize::try_from(value >> 32).unwrap_or(0),
                ),
                Err(_) => bad_key = true,
            }
        });
        if bad_key {
            return Err(BundleError::Section {
                section: "paths",
                reason: "a key is not UTF-8".to_owned(),
            });
        }
        walk_result("paths", walked, self.paths.len())
    }
}

/// The walk's error as a [`BundleError`]; a walk that saw fewer keys than
/// the footer says is one too.
fn walk_result(
    section: &'static str,
    walked: Result<u64, WalkError>,
    expected: u64,
) -> Result<(), BundleError> {
    let reason = match walked {
        Ok(n) if n == expected => return Ok(()),
        Ok(n) => format!("the map has {n} keys but its footer says {expected}"),
        Err(WalkError::Malformed { at }) => format!("the node at {at} does not decode"),
        Err(WalkError::TooManyKeys { max }) => {
            format!("the map has more keys than the {max} its footer says")
        }
    };
    Err(BundleError::Section { section, reason })
}

#[cfg(test)]
mod tests {
    use crate::bundle::{Bundle, BundleBuilder};
    use crate::lists::{Entry, EntryKind};

    #[test]
    fn walks_every_host_and_path_of_a_built_bundle() {
        let mut b = BundleBuilder::new();
        let l = b.add_list("bets", "gambling").unwrap();
        for (line, kind) in [
            EntryKind::Domain("bet.example".into()),
            EntryKind::Domain("casino.example".into()),
            EntryKind::Url("casino.example/play.html".into()),
            EntryKind::UrlPrefix("poker.example/rooms/".into()),
        ]
        .into_iter()
        .enumerate()
        {
            b.add_entry(
                l,
                &Entry {
                    kind,
                    line: line + 1,
                },
            )
            .unwrap();
        }
        let bundle = Bundle::from_bytes(b.build().unwrap()).unwrap();
        let mut hosts = Vec::new();
        bundle
            .for_each_host(|h, set, paths| hosts.push((h.to_owned(), set != 0, paths)))
            .unwrap();
        hosts.sort();
        assert_eq!(
            hosts,
            [
                ("bet.example".to_owned(), true, false),
                ("casino.example".to_owned(), true, true),
                ("poker.example".to_owned(), false, true),
            ]
        );
        let mut paths = Vec::new();
        bundle
            .for_each_path(|k, exact, prefix| paths.push((k.to_owned(), exact != 0, prefix != 0)))
            .unwrap();
        assert_eq!(
            paths,
            [
                ("casino.example/play.html".to_owned(), true, false),
                ("poker.example/rooms/".to_owned(), false, true),
            ]
        );
    }
}
