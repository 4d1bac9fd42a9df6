//! Wording shared by the groups: the one describer of kinds of value, and
//! the phrases for origins, needs, declarations, lists, bounds and numbers.

use crate::diagnostics::facts::{CompileTimeNeed, Declaration, Expected, Kind, Origin, Place, ValueRole};

/// A kind of value as a message names it: "a string", "a list of strings",
/// "a string or a list of strings".
pub(super) fn kind_phrase(kind: &Kind) -> String {
    let text = match kind {
        Kind::Any => "a value",
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Integer => "an integer",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::List(item) => match item.as_deref() {
            Some(Kind::String) => "a list of strings",
            Some(Kind::Integer) => "a list of integers",
            Some(Kind::Number) => "a list of numbers",
            Some(Kind::Bool) => "a list of booleans",
            Some(Kind::Object) => "a list of objects",
            _ => "a list",
        },
        Kind::Object => "an object",
        Kind::Json => "an object or a JSON string",
        Kind::OneOf(kinds) => {
            let mut phrases: Vec<String> = Vec::new();
            for kind in kinds {
                let phrase = kind_phrase(kind);
                if !phrases.contains(&phrase) {
                    phrases.push(phrase);
                }
            }
            return match phrases.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                Some((last, _)) => last.clone(),
                None => kind_phrase(&Kind::Any),
            };
        }
    };
    text.to_string()
}

/// What a place wanted.
pub(super) fn expected_phrase(expected: &Expected) -> String {
    let role = match expected {
        Expected::Kind(kind) => return kind_phrase(kind),
        Expected::Role(role) => role,
    };
    match role {
        ValueRole::Scalar => "a string, number or boolean",
        ValueRole::Properties => "an object of properties",
        ValueRole::MemberBase => "an object or a resource",
        ValueRole::Iterable => "a list or an object",
        ValueRole::WholeNumber => "a whole number",
        ValueRole::ObjectKey => "a string key",
        ValueRole::IndexBase => "a list to index",
        ValueRole::Measured => "a list, string or object",
        ValueRole::Searched => "a list, object or string",
        ValueRole::LookupTable => "a table: an object of objects",
        // Said of the whole table, where the label points.
        ValueRole::LookupRow => "an object of objects",
        ValueRole::LookupCell => "a table of strings or lists of strings",
        ValueRole::SubVariables => "an object of variables",
        ValueRole::Resource => "a resource",
        ValueRole::AllowedValues => "a list of strings or numbers",
        ValueRole::Tags => "an object of tags",
        ValueRole::OverridePath => "the path of a resource inside the instance",
    }
    .to_string()
}

/// What makes a value deploy-time: "the parameter `stage`".
pub(super) fn origin_phrase(origin: &Origin) -> String {
    match origin {
        Origin::Parameter(name) => format!("the parameter `{name}`"),
        Origin::Resource(name) => format!("the resource `{name}`"),
        Origin::Instance(name) => format!("the instance `{name}`"),
        Origin::PseudoParameter(name) => format!("`aws.{name}`"),
        Origin::Stack(name) => format!("the stack `{name}`"),
        Origin::Function(name) => format!("`{name}()`"),
        Origin::DynamicReference => "a dynamic reference".to_string(),
        Origin::Unnamed => "a deploy-time value".to_string(),
    }
}

/// What must be known at compile time: "the separator of `join`".
pub(super) fn need_phrase(need: CompileTimeNeed) -> String {
    match need {
        CompileTimeNeed::DecoratorArgument(name) => format!("the argument of `@{name}`"),
        CompileTimeNeed::LogicalId => "a logical ID".to_string(),
        CompileTimeNeed::ParameterDefault => "a parameter's default".to_string(),
        CompileTimeNeed::ComprehensionList => "the list a comprehension iterates".to_string(),
        CompileTimeNeed::ResourceLoopList => "the list a resource loop iterates".to_string(),
        CompileTimeNeed::ObjectKey => "a key of an object".to_string(),
        CompileTimeNeed::LookupTable => "a lookup table".to_string(),
        CompileTimeNeed::Argument(function) => format!("the argument of `{function}`"),
        CompileTimeNeed::Bound(function) => format!("a bound of `{function}`"),
        CompileTimeNeed::JoinedList(function) => format!("a list `{function}` joins"),
        CompileTimeNeed::Searched(function) => format!("what `{function}` searches"),
        CompileTimeNeed::Key(function) => format!("the key `{function}` reads"),
        CompileTimeNeed::Separator(function) => format!("the separator of `{function}`"),
        CompileTimeNeed::Template(function) => format!("the template of `{function}`"),
        CompileTimeNeed::Operand(operator) => format!("an operand of `{operator}`"),
    }
}

/// "parameter", "output".
pub(super) fn declaration_noun(declaration: Declaration) -> &'static str {
    match declaration {
        Declaration::Parameter => "parameter",
        Declaration::Let => "let",
        Declaration::Resource => "resource",
        Declaration::Existing => "existing resource the program does not create",
        Declaration::Output => "output",
        Declaration::Construct => "construct",
        Declaration::Stack => "stack",
        Declaration::Import => "import",
    }
}

pub(super) fn did_you_mean(suggestion: Option<&str>) -> Option<String> {
    suggestion.map(|s| format!("did you mean `{s}`?"))
}

/// The name a help written by [`did_you_mean`] suggests: what an editor's
/// quick fix puts in place of the primary label's text.
pub(crate) fn suggested_name(help: &str) -> Option<&str> {
    help.strip_prefix("did you mean `")?.strip_suffix("`?")
}

/// The names a text written by [`quote_list`] (after a leading phrase)
/// lists: every name between backticks.
pub(crate) fn quoted_names(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
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
        Place::Existing => "existing resource",
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
pub(super) fn quote_list(items: &[&str]) -> String {
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

#[cfg(test)]
mod editor_fix_tests {
    use super::{did_you_mean, quote_list, quoted_names, suggested_name};

    #[test]
    fn editors_read_back_what_the_wording_says() {
        let help = did_you_mean(Some("bucket")).unwrap();
        assert_eq!(suggested_name(&help), Some("bucket"));
        assert_eq!(suggested_name("add it"), None);
        let names = ["BucketName", "Tags", "Versioning"];
        assert_eq!(quoted_names(&format!("needs {}", quote_list(&names))), names);
    }
}
