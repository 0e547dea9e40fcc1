//! Reading a bundle's metadata section (the JSON the builder writes with
//! serde) from the document reader's tree, field by field.
//!
//! Why not serde: the derived visitor for [`Meta`] and its nested lists
//! and pairs was about 6 KB of the gzipped WebAssembly package, for a
//! document esafety writes itself. This reader accepts exactly what the
//! derived one did (every field, `deny_unknown_fields`, the defaults of
//! `string_prefix_sets`, `ignore_case` and the optional fields, the integer
//! ranges) and says what is wrong in the same words at the same place; the
//! tests read builder output and mutations of it both ways.

use crate::document::{self, Key, Node, Value};

use super::{AutomatonMeta, EntryCounts, ListMeta, Meta, RegexMeta};

/// What is wrong, and the byte offset of the value it is about.
pub(super) type Bad = (usize, String);

/// Reads the metadata section's text.
pub(super) fn read(text: &str) -> Result<Meta, Bad> {
    let root = document::parse_json(text).map_err(|e| (e.offset(), e.message().to_owned()))?;
    let [
        lists,
        local_categories,
        list_sets,
        folded_sets,
        string_prefix_sets,
        gate_seed,
        gate_hashes,
        ungated_digests,
        regexes,
        automata,
        counts,
    ] = fields(
        &root,
        "struct Meta",
        &[
            "lists",
            "local_categories",
            "list_sets",
            "folded_sets",
            "string_prefix_sets",
            "gate_seed",
            "gate_hashes",
            "ungated_digests",
            "regexes",
            "automata",
            "counts",
        ],
    )?;
    Ok(Meta {
        lists: each(need(lists, "lists", &root)?, list_meta)?,
        local_categories: each(need(local_categories, "local_categories", &root)?, string)?,
        list_sets: each(need(list_sets, "list_sets", &root)?, |n| each(n, u16_of))?,
        folded_sets: each(need(folded_sets, "folded_sets", &root)?, set_subset)?,
        string_prefix_sets: match string_prefix_sets {
            Some(n) => each(n, set_subset)?,
            None => Vec::new(),
        },
        gate_seed: unsigned(need(gate_seed, "gate_seed", &root)?, u64::MAX, "u64")?,
        gate_hashes: u32_of(need(gate_hashes, "gate_hashes", &root)?)?,
        ungated_digests: boolean(need(ungated_digests, "ungated_digests", &root)?)?,
        regexes: each(need(regexes, "regexes", &root)?, regex_meta)?,
        automata: each(need(automata, "automata", &root)?, automaton_meta)?,
        counts: entry_counts(need(counts, "counts", &root)?)?,
    })
}

fn list_meta(node: &Node<'_>) -> Result<ListMeta, Bad> {
    let [name, category, entries, date] = fields(
        node,
        "struct ListMeta",
        &["name", "category", "entries", "date"],
    )?;
    Ok(ListMeta {
        name: string(need(name, "name", node)?)?,
        category: optional(category, string)?,
        entries: unsigned(need(entries, "entries", node)?, u64::MAX, "u64")?,
        date: optional(date, string)?,
    })
}

fn regex_meta(node: &Node<'_>) -> Result<RegexMeta, Bad> {
    let [list, pattern, ignore_case, input] = fields(
        node,
        "struct RegexMeta",
        &["list", "pattern", "ignore_case", "input"],
    )?;
    Ok(RegexMeta {
        list: u16_of(need(list, "list", node)?)?,
        pattern: string(need(pattern, "pattern", node)?)?,
        ignore_case: match ignore_case {
            Some(n) => boolean(n)?,
            None => false,
        },
        input: string(need(input, "input", node)?)?,
    })
}

fn automaton_meta(node: &Node<'_>) -> Result<AutomatonMeta, Bad> {
    let [offset, len, anchored, patterns] = fields(
        node,
        "struct AutomatonMeta",
        &["offset", "len", "anchored", "patterns"],
    )?;
    Ok(AutomatonMeta {
        offset: unsigned(need(offset, "offset", node)?, u64::MAX, "u64")?,
        len: unsigned(need(len, "len", node)?, u64::MAX, "u64")?,
        anchored: boolean(need(anchored, "anchored", node)?)?,
        patterns: each(need(patterns, "patterns", node)?, u32_of)?,
    })
}

fn entry_counts(node: &Node<'_>) -> Result<EntryCounts, Bad> {
    const NAMES: [&str; 7] = [
        "domains",
        "urls",
        "prefixes",
        "digests",
        "regexes",
        "gated_hosts",
        "host_prefixes",
    ];
    let found = fields(node, "struct EntryCounts", &NAMES)?;
    let mut values = [0u64; 7];
    for ((value, field), name) in values.iter_mut().zip(found).zip(NAMES) {
        *value = unsigned(need(field, name, node)?, u64::MAX, "u64")?;
    }
    let [
        domains,
        urls,
        prefixes,
        digests,
        regexes,
        gated_hosts,
        host_prefixes,
    ] = values;
    Ok(EntryCounts {
        domains,
        urls,
        prefixes,
        digests,
        regexes,
        gated_hosts,
        host_prefixes,
    })
}

/// `[set, [list, ...]]`, a serde tuple: its elements read in order, then
/// its length checked.
fn set_subset(node: &Node<'_>) -> Result<(u32, Vec<u16>), Bad> {
    let Value::Array(items) = &node.value else {
        return Err(invalid_type(node, "a tuple of size 2"));
    };
    let short = |n: usize| {
        (
            node.span.start,
            format!("invalid length {n}, expected a tuple of size 2"),
        )
    };
    let set = u32_of(items.first().ok_or_else(|| short(0))?)?;
    let lists = each(items.get(1).ok_or_else(|| short(1))?, u16_of)?;
    if items.len() > 2 {
        return Err((
            node.span.start,
            format!("invalid length {}, expected fewer elements", items.len()),
        ));
    }
    Ok((set, lists))
}

/// A table's fields by name, each at most once and no other.
fn fields<'n, 't, const N: usize>(
    node: &'n Node<'t>,
    what: &str,
    names: &[&str; N],
) -> Result<[Option<&'n Node<'t>>; N], Bad> {
    let Value::Table(entries) = &node.value else {
        return Err(invalid_type(node, what));
    };
    let mut found: [Option<&'n Node<'t>>; N] = [None; N];
    for (Key { name, span }, value) in entries {
        let slot = names
            .iter()
            .position(|n| n == name)
            .and_then(|i| found.get_mut(i));
        match slot {
            Some(Some(_)) => return Err((span.start, format!("duplicate field `{name}`"))),
            Some(slot) => *slot = Some(value),
            None => {
                let expected: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                return Err((
                    span.start,
                    format!(
                        "unknown field `{name}`, expected one of {}",
                        expected.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(found)
}

fn need<'n, 't>(
    field: Option<&'n Node<'t>>,
    name: &str,
    table: &Node<'_>,
) -> Result<&'n Node<'t>, Bad> {
    field.ok_or_else(|| (table.span.start, format!("missing field `{name}`")))
}

fn optional<T>(
    field: Option<&Node<'_>>,
    read: impl Fn(&Node<'_>) -> Result<T, Bad>,
) -> Result<Option<T>, Bad> {
    match field.map(|n| (n, &n.value)) {
        None | Some((_, Value::Null)) => Ok(None),
        Some((n, _)) => read(n).map(Some),
    }
}

fn each<T>(node: &Node<'_>, read: impl Fn(&Node<'_>) -> Result<T, Bad>) -> Result<Vec<T>, Bad> {
    match &node.value {
        Value::Array(items) => items.iter().map(read).collect(),
        _ => Err(invalid_type(node, "a sequence")),
    }
}

fn string(node: &Node<'_>) -> Result<String, Bad> {
    match &node.value {
        Value::String(s) => Ok(s.to_string()),
        _ => Err(invalid_type(node, "a string")),
    }
}

fn boolean(node: &Node<'_>) -> Result<bool, Bad> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(invalid_type(node, "a boolean")),
    }
}

fn unsigned(node: &Node<'_>, max: u64, name: &str) -> Result<u64, Bad> {
    let n = match node.value {
        Value::Integer(n) => u64::try_from(n).map_err(|_| {
            (
                node.span.start,
                format!("invalid value: integer `{n}`, expected {name}"),
            )
        })?,
        Value::Unsigned(n) => n,
        _ => return Err(invalid_type(node, name)),
    };
    if n > max {
        return Err((
            node.span.start,
            format!("invalid value: integer `{n}`, expected {name}"),
        ));
    }
    Ok(n)
}

fn u32_of(node: &Node<'_>) -> Result<u32, Bad> {
    let n = unsigned(node, u64::from(u32::MAX), "u32")?;
    u32::try_from(n).map_err(|_| (node.span.start, "out of range for u32".to_owned()))
}

fn u16_of(node: &Node<'_>) -> Result<u16, Bad> {
    let n = unsigned(node, u64::from(u16::MAX), "u16")?;
    u16::try_from(n).map_err(|_| (node.span.start, "out of range for u16".to_owned()))
}

fn invalid_type(node: &Node<'_>, expected: &str) -> Bad {
    let found = match &node.value {
        Value::Null => "unit value".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Integer(n) => format!("integer `{n}`"),
        Value::Unsigned(n) => format!("integer `{n}`"),
        Value::Float(x) => format!("floating point `{x}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Datetime(d) => format!("datetime `{d}`"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Table(_) => "map".to_owned(),
    };
    (
        node.span.start,
        format!("invalid type: {found}, expected {expected}"),
    )
}

#[cfg(test)]
mod tests;
