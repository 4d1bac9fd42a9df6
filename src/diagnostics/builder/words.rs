//! Wording shared by the groups: lists, bounds, articles, numbers and
//! declaration kinds.

use crate::check::decorators::Place;

pub(super) fn did_you_mean(suggestion: Option<&str>) -> Option<String> {
    suggestion.map(|s| format!("did you mean `{s}`?"))
}

/// `ingress[0]`, as a user names a place inside a construct property.
pub(super) fn property_path(property: &str, path: &str) -> String {
    format!("{property}{path}")
}

pub(super) fn place_noun(place: Place) -> &'static str {
    match place {
        Place::StackParam => "stack parameter",
        Place::ConstructParam => "construct parameter",
        Place::Let => "let",
        Place::Resource => "resource",
        Place::Instance => "construct instance",
        Place::StackOutput => "stack output",
        Place::ConstructOutput => "construct output",
        Place::Stack => "stack",
        Place::Construct => "construct",
        Place::Import => "import",
    }
}

/// "stacks and construct instances"; "parameters" for both kinds of parameter.
pub(crate) fn places_plural(places: &[Place]) -> String {
    let mut words: Vec<String> = Vec::new();
    for place in places {
        let word = match place {
            Place::StackParam | Place::ConstructParam
                if places.contains(&Place::StackParam) && places.contains(&Place::ConstructParam) =>
            {
                "parameters".to_string()
            }
            Place::StackOutput | Place::ConstructOutput
                if places.contains(&Place::StackOutput) && places.contains(&Place::ConstructOutput) =>
            {
                "outputs".to_string()
            }
            place => format!("{}s", place_noun(*place)),
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "a resource", "an output".
pub(super) fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {noun}")
}

/// `` `a`, `b` and `c` ``
pub fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// How many names a note lists before it counts the rest.
const LISTED_NAMES: usize = 12;

/// `` `a`, `b` and `c` ``, or the first dozen and "and N more".
pub(super) fn quote_some(items: &[&str]) -> String {
    if items.len() <= LISTED_NAMES {
        return quote_list(items);
    }
    let shown: Vec<String> = items[..LISTED_NAMES].iter().map(|i| format!("`{i}`")).collect();
    format!("{} and {} more", shown.join(", "), items.len() - LISTED_NAMES)
}

/// `` `A` or `B` ``; an option of several names reads `` `A` with `B` ``.
pub(super) fn quote_options(options: &[Vec<&str>]) -> String {
    let options: Vec<String> = options
        .iter()
        .filter(|option| !option.is_empty())
        .map(|option| option.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" with "))
        .collect();
    match options.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// `at least 1`, `at most 63`, `between 1 and 63`.
pub(super) fn bounds_text<T: std::fmt::Display + Copy>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min.to_string() == max.to_string() => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "within bounds".to_string(),
    }
}

/// `1,289,094`.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
