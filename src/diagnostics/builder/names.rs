//! `E02xx` and `W02xx`: names, references, imports and what a declaration may refer to.

use super::words::*;
use crate::diagnostics::facts::{Declaration, Kind, Namespace, Passed, Place};
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::source::Span;

pub fn undefined_name(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    // The suggestion is the help's alone: an editor shows label and help
    // together, and would say it twice.
    Diagnostic::new(Code::UndefinedName, format!("cannot find `{name}`"), Label::new(span, "not in scope"))
        .with_help_opt(did_you_mean(suggestion))
}

/// A `${NAME}` of a `sub()` template that names no variable, parameter,
/// resource or pseudo parameter of the template.
pub fn unknown_sub_name(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    let message = if name.is_empty() {
        "`${}` in a `sub` template names nothing".to_string()
    } else {
        format!("`${{{name}}}` in a `sub` template names nothing in this stack")
    };
    let label = match suggestion {
        Some(s) => format!("did you mean `${{{s}}}`?"),
        None => "not a variable of the call, a parameter, a resource or a pseudo parameter".to_string(),
    };
    Diagnostic::new(Code::UndefinedName, message, Label::new(span, label))
        .with_note("CloudFormation rejects a template whose `Fn::Sub` names something it does not declare")
        .with_help("write `${!text}` for a literal `${text}`")
}

pub fn duplicate_declaration(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDeclaration,
        format!("`{name}` is declared twice"),
        Label::new(span, "declared again here"),
    )
    .with_secondary(first, "first declared here")
    .with_help("rename one of them")
}

/// `cycle` lists each member's name and span, in reference order.
pub fn reference_cycle(cycle: &[(String, Span)]) -> Diagnostic {
    let mut path: Vec<&str> = cycle.iter().map(|(name, _)| name.as_str()).collect();
    path.push(&cycle[0].0);
    let path = path.join(" -> ");
    let mut diagnostic = Diagnostic::new(
        Code::ReferenceCycle,
        format!("reference cycle: {path}"),
        Label::new(cycle[0].1, "this declaration depends on itself"),
    );
    for (i, (name, span)) in cycle.iter().enumerate().skip(1) {
        let next = &cycle[(i + 1) % cycle.len()].0;
        diagnostic = diagnostic.with_secondary(*span, format!("`{name}` depends on `{next}`"));
    }
    diagnostic.with_help("break the cycle: one of these must not refer to the next")
}

pub fn unknown_function(span: Span, name: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownFunction,
        format!("unknown function `{name}`"),
        Label::new(span, "not a built-in function"),
    )
    .with_note(format!("the built-in functions are {}", quote_list(known)))
    .with_help_opt(did_you_mean(suggestion))
}

/// A user function named where a value is wanted.
pub fn function_as_value(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::TypeMismatch, format!("`{name}` is a function"), Label::new(span, "used as a value"))
        .with_help(format!("call it with its arguments: `{name}(...)`"))
}

pub fn not_callable(span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnknownFunction, "only functions can be called", Label::new(span, "not a function name"))
        .with_help("call a function by its name, such as `join(\",\", list)`")
}

/// `allowed` names the decorators `place` accepts, without `@`.
fn allowed_note(place: Place, allowed: &[&str]) -> String {
    if allowed.is_empty() {
        format!("{} takes no decorators", with_article(place_noun(place)))
    } else {
        let names: Vec<String> = allowed.iter().map(|name| format!("@{name}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        format!("decorators allowed on {}: {}", with_article(place_noun(place)), quote_list(&names))
    }
}

/// `allowed` names the decorators `place` accepts, without `@`.
pub fn unknown_decorator(
    span: Span,
    name: &str,
    place: Place,
    allowed: &[&str],
    suggestion: Option<&str>,
) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("unknown decorator `@{name}` on {}", with_article(place_noun(place))),
        Label::new(span, "not a decorator"),
    )
    .with_note(allowed_note(place, allowed))
    .with_help_opt(suggestion.map(|s| format!("did you mean `@{s}`?")))
}

/// The decorator `name`, which applies to `applies_to`, written on `place`.
pub fn misplaced_decorator(span: Span, name: &str, applies_to: &[Place], place: Place, allowed: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!(
            "`@{name}` does not apply to {}; it applies to {}",
            with_article(place_noun(place)),
            places_plural(applies_to)
        ),
        Label::new(span, "not allowed here"),
    )
    .with_note(allowed_note(place, allowed))
    .with_help("remove it, or move it to a declaration it applies to")
}

pub fn duplicate_decorator(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("decorator `@{name}` is used twice"),
        Label::new(span, "used again here"),
    )
    .with_secondary(first, "first used here")
    .with_help("remove one of them")
}

pub fn second_primary_output(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        "`@primary` is on two outputs of the construct",
        Label::new(span, "a second primary output"),
    )
    .with_secondary(first, "the construct's primary output")
    .with_note("an instance stands for one value where a value is expected")
    .with_help("keep `@primary` on one output")
}

pub fn unknown_construct(span: Span, path: &str, suggestion: Option<&str>) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("no construct by this name; did you mean `{s}`?"),
        None => "no construct by this name".to_string(),
    };
    Diagnostic::new(Code::UnknownResourceType, format!("unknown construct `{path}`"), Label::new(span, label))
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`? `infrac explain {s}` shows it"),
            None => "use a construct of the standard library (`infrac explain s3.Bucket` shows one) or a CloudFormation type such as `AWS::S3::Bucket`".to_string(),
        })
}

pub fn unknown_resource_type(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("no such type; did you mean `{s}`?"),
        None => "not a CloudFormation resource type".to_string(),
    };
    Diagnostic::new(Code::UnknownResourceType, format!("unknown resource type `{name}`"), Label::new(span, label))
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                "`infrac explain AWS::S3::Bucket` shows a type; custom resources are named `Custom::Name`".to_string()
            }
        })
}

pub fn unknown_pseudo_parameter(span: Span, name: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownMember,
        format!("`aws` has no member `{name}`"),
        Label::new(span, "unknown pseudo parameter"),
    )
    .with_note(format!("the pseudo parameters are {}", quote_list(known)))
    .with_help_opt(suggestion.map(|s| format!("did you mean `aws.{s}`?")))
}

pub fn unknown_key(span: Span, key: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::UnknownMember, format!("no key `{key}` in this object"), Label::new(span, "unknown key"))
        .with_note(format!("the object has {}", quote_list(known)))
        .with_help_opt(did_you_mean(suggestion))
}

pub fn unknown_output(
    span: Span,
    instance: &str,
    construct: &str,
    output: &str,
    suggestion: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let note = if known.is_empty() {
        format!("`{construct}` declares no outputs")
    } else {
        format!("the outputs of `{construct}` are {}", quote_list(known))
    };
    Diagnostic::new(
        Code::UnknownMember,
        format!("`{instance}` has no output `{output}`"),
        Label::new(span, format!("not an output of `{construct}`")),
    )
    .with_note(note)
    .with_help_opt(did_you_mean(suggestion))
}

/// An output read from an `existing` description that does not give it.
pub fn existing_attribute_not_given(
    span: Span,
    instance: &str,
    construct: &str,
    attribute: &str,
    given: &[&str],
    declared: Span,
) -> Diagnostic {
    let note = if given.is_empty() {
        format!("`{instance}` gives no attributes")
    } else {
        format!("`{instance}` gives {}", quote_list(given))
    };
    Diagnostic::new(
        Code::ExistingAttributeNotGiven,
        format!("`{instance}` describes an existing `{construct}` without `{attribute}`"),
        Label::new(span, format!("reads `{attribute}`")),
    )
    .with_secondary(declared, format!("`{instance}` is described here"))
    .with_note(note)
    .with_help(format!("add `{attribute}: ...` to the description of `{instance}`"))
}

/// A parameter two groups of one construct would both forward.
pub fn duplicate_group_member(span: Span, member: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDeclaration,
        format!("two parameter groups forward `{member}`"),
        Label::new(span, format!("forwards `{member}` again")),
    )
    .with_secondary(first, "first forwarded by this group")
    .with_help(format!("declare `{member}` in the construct itself and set it beside one of the spreads"))
}

/// `param ...x: T` where `T` is not a construct.
pub fn group_of_value_type(span: Span, written: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MisusedParameterGroup,
        format!("a parameter group forwards a construct's parameters, not a `{written}`"),
        Label::new(span, "not a construct"),
    )
    .with_help("name the construct whose parameters to forward: `param ...service: ecs.FargateService`")
}

/// `param ...x: T` in a stack.
pub fn group_outside_construct(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MisusedParameterGroup,
        format!("the parameter group `{name}` is outside a construct"),
        Label::new(span, "declared in a stack"),
    )
    .with_note("a group forwards an instance's properties to a construct the instance wraps")
    .with_help("declare the parameters the stack needs one by one, or make the stack's body a construct")
}

/// A key of an `existing` description that is no output of its construct.
pub fn unknown_existing_attribute(
    span: Span,
    key: &str,
    construct: &str,
    suggestion: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let note = if known.is_empty() {
        format!("`{construct}` declares no outputs")
    } else {
        format!("an existing `{construct}` is described by its outputs: {}", quote_list(known))
    };
    Diagnostic::new(
        Code::UnknownMember,
        format!("`{construct}` has no output `{key}`"),
        Label::new(span, format!("not an output of `{construct}`")),
    )
    .with_note(note)
    .with_help_opt(did_you_mean(suggestion))
}

/// A name that holds other names, used as a value itself. The help names a
/// member that is a value, as far as the namespace has one.
pub fn namespace_as_value(span: Span, namespace: Namespace) -> Diagnostic {
    let (message, help) = match namespace {
        Namespace::Aws => (
            "`aws` is a namespace, not a value".to_string(),
            "use one of its members, such as `aws.region`".to_string(),
        ),
        Namespace::Stack { name, members } => (
            format!("`{name}` is a stack, not a value"),
            match members.first() {
                Some(member) => format!("use one of its declarations, such as `{name}.{member}`"),
                None => format!("declare a resource in `{name}` and use it: `{name}.NAME`"),
            },
        ),
        Namespace::Module { name, lets, constructs } => (
            format!("`{name}` is a namespace, not a value"),
            match (lets.first(), constructs.first()) {
                (Some(value), _) => format!("use one of its `let`s, such as `{name}.{value}`"),
                (None, Some(construct)) => format!(
                    "it holds constructs, which are resource types: `resource NAME: {name}.{construct} {{ ... }}`"
                ),
                (None, None) => format!("it declares no `let` to use as `{name}.NAME`"),
            },
        ),
    };
    Diagnostic::new(Code::UnknownMember, message, Label::new(span, "needs a member")).with_help(help)
}

/// A name given to `@depends_on` that is `what` (a parameter, a let), or
/// some other kind of name when `what` is `None`.
pub fn not_a_resource(span: Span, name: &str, what: Option<Declaration>) -> Diagnostic {
    let what = match what {
        Some(declaration) => declaration_noun(declaration),
        None => "name of another kind",
    };
    Diagnostic::new(
        Code::NotAResource,
        format!("`{name}` is not a resource"),
        Label::new(span, format!("this is {}", with_article(what))),
    )
    .with_help("`@depends_on` takes resource names")
}

pub fn disabled_resource(span: Span, name: &str, when: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DisabledResource,
        format!("`{name}` is left out of the template"),
        Label::new(span, "referenced here"),
    )
    .with_secondary(when, "this condition is always false")
    .with_help("remove the reference, or make the condition true")
}

pub fn condition_on_resource(span: Span, logical_id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ConditionOnResource,
        "a deploy-time condition cannot depend on a resource",
        Label::new(span, format!("refers to the resource `{logical_id}`")),
    )
    .with_note("CloudFormation decides its conditions from parameters before it creates any resource")
    .with_help("compare parameters or pseudo parameters such as `aws.region` instead")
}

pub fn import_not_found(span: Span, path: &str, error: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportNotFound, format!("cannot import `{path}`"), Label::new(span, error.to_string()))
        .with_help("import paths are relative to the importing file, like `\"./lib/network.infra\"`")
}

/// `cycle` lists the files in import order.
pub fn import_cycle(span: Span, cycle: &[String]) -> Diagnostic {
    let mut path = cycle.to_vec();
    path.push(cycle[0].clone());
    Diagnostic::new(
        Code::ImportCycle,
        format!("import cycle: {}", path.join(" -> ")),
        Label::new(span, "this import closes the cycle"),
    )
    .with_help("move what both files need into a third file that both import")
}

pub fn import_outside_root(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ImportOutsideRoot,
        format!("`{path}` is outside the project"),
        Label::new(span, "leaves the project folder"),
    )
    .with_note("the project is the folder of the file named on the command line")
    .with_help("move the library into the project folder")
}

/// `error` says why the path could not be read (missing, empty folder, ...).
pub fn asset_not_found(span: Span, path: &str, error: &str) -> Diagnostic {
    Diagnostic::new(Code::AssetNotFound, format!("cannot package `{path}`"), Label::new(span, error.to_string()))
        .with_help("asset paths are relative to the calling file, like `\"./src\"` for a folder next to it")
}

/// `docker_image(path)` where `path` names a file.
pub fn build_context_is_a_file(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AssetNotFound,
        format!("cannot build an image from `{path}`"),
        Label::new(span, "a file, not a folder"),
    )
    .with_help("name the folder that holds the Dockerfile (the build context); `dockerfile` in the settings picks another file in it")
}

pub fn asset_outside_root(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AssetOutsideRoot,
        format!("`{path}` is outside the project"),
        Label::new(span, "leaves the project folder"),
    )
    .with_note("the project is the folder of the file named on the command line; assets must be inside it")
    .with_help("move the files into the project folder")
}

/// `docker_image(path, { repository })` naming a repository of the stack
/// that runs the image.
pub fn image_repository_in_same_stack(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ImageRepository,
        "the image cannot be pushed to a repository of the stack that runs it",
        Label::new(span, "a repository of the same stack"),
    )
    .with_note("images are pushed before the stack that runs them is deployed, and this stack creates the repository")
    .with_help("declare the repository in another stack (it is deployed first), or leave `repository` out to push to the staging repository")
}

/// `docker_image(path, { repository })` naming something else than an ECR
/// repository of another stack.
pub fn not_an_image_repository(span: Span, found: &Kind, resource_type: Option<&str>) -> Diagnostic {
    let found = match resource_type {
        Some(resource_type) => format!("an `{resource_type}`"),
        None => kind_phrase(found),
    };
    Diagnostic::new(
        Code::ImageRepository,
        format!("`repository` must be an ECR repository of another stack, not {found}"),
        Label::new(span, "the image's settings"),
    )
    .with_help("pass an `ecr.Repository` or `AWS::ECR::Repository` declared in another stack of the program: `{ repository: Images.web.name }`")
}

pub fn unconditional_reference(span: Span, name: &str, condition: &str, resource_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnconditionalReference,
        format!("`{name}` exists only when `{condition}` is true"),
        Label::new(span, "refers to it whatever the condition"),
    )
    .with_secondary(resource_span, format!("created only when `{condition}` is true"))
    .with_help("give this declaration the same `@when`, or guard the reference with `cond ? value : aws.no_value`")
}

pub fn unknown_construct_property(
    span: Span,
    key: &str,
    construct: &str,
    construct_span: Span,
    suggestion: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let note = if known.is_empty() {
        format!("`{construct}` takes no properties")
    } else {
        format!("`{construct}` takes {}", quote_list(known))
    };
    Diagnostic::new(
        Code::UnknownConstructProperty,
        format!("`{construct}` has no property `{key}`"),
        Label::new(span, format!("sets `{key}`")),
    )
    .with_secondary(construct_span, format!("`{construct}` is declared here"))
    .with_note(note)
    .with_help_opt(did_you_mean(suggestion))
}

/// A field a record-typed construct property does not have.
pub fn unknown_record_field(
    span: Span,
    field: &str,
    property: &str,
    path: &str,
    construct: &str,
    suggestion: Option<&str>,
    fields: &[&str],
) -> Diagnostic {
    let place = property_path(property, path);
    let label = match suggestion {
        Some(s) => format!("unknown field; did you mean `{s}`?"),
        None => "unknown field".to_string(),
    };
    Diagnostic::new(
        Code::UnknownConstructProperty,
        format!("`{place}` of `{construct}` has no field `{field}`"),
        Label::new(span, label),
    )
    .with_note(format!("its fields are {}", quote_list(fields)))
    .with_help_opt(did_you_mean(suggestion))
}

pub fn missing_construct_properties(span: Span, construct: &str, construct_span: Span, missing: &[&str]) -> Diagnostic {
    let plural = if missing.len() == 1 { "property" } else { "properties" };
    Diagnostic::new(
        Code::MissingConstructProperty,
        format!("missing {plural} {} of `{construct}`", quote_list(missing)),
        Label::new(span, format!("needs {}", quote_list(missing))),
    )
    .with_secondary(construct_span, format!("`{construct}` is declared here"))
    .with_help("set them, or give the construct's parameters defaults")
}

/// Fields a record-typed construct property needs but was not given.
pub fn missing_record_fields(span: Span, property: &str, path: &str, construct: &str, missing: &[&str]) -> Diagnostic {
    let place = property_path(property, path);
    let plural = if missing.len() == 1 { "field" } else { "fields" };
    Diagnostic::new(
        Code::MissingConstructProperty,
        format!("`{place}` of `{construct}` is missing the {plural} {}", quote_list(missing)),
        Label::new(span, format!("needs {}", quote_list(missing))),
    )
}

pub fn outside_stack(span: Span, what: Declaration, in_entry: bool) -> Diagnostic {
    let what = declaration_noun(what);
    let (message, note) = if in_entry {
        (
            format!("{} outside a stack", with_article(what)),
            "this file declares `stack` blocks, so its top level holds only lets, constructs, imports and stacks",
        )
    } else {
        (
            format!("{} in a library file", with_article(what)),
            "an imported file holds only lets, constructs and imports",
        )
    };
    Diagnostic::new(Code::OutsideStack, message, Label::new(span, "not inside a `stack`"))
        .with_note(note)
        .with_help("move it into a `stack { }` block or a `construct`")
}

pub fn instance_as_value(span: Span, name: &str, construct: &str, outputs: &[&str]) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::InstanceAsValue,
        format!("`{name}` is an instance of `{construct}`, not a value"),
        Label::new(span, "used as a value here"),
    );
    diagnostic = if outputs.is_empty() {
        diagnostic.with_note(format!("`{construct}` declares no outputs"))
    } else {
        diagnostic.with_note(format!("its outputs are {}", quote_list(outputs)))
    };
    diagnostic.with_help(match outputs.first() {
        Some(output) => format!("use one of its outputs, such as `{name}.{output}`"),
        None => "declare an `output` in the construct and use it".to_string(),
    })
}

pub fn cross_stack_value(span: Span, producer: &str, found: &Kind) -> Diagnostic {
    Diagnostic::new(
        Code::CrossStackValue,
        format!("{} from the stack `{producer}` cannot be shared", kind_phrase(found)),
        Label::new(span, "referenced from another stack"),
    )
    .with_note("stacks share values through exports, which hold strings and lists of strings")
    .with_help("share a string instead, for example a resource, an attribute or a parameter")
}

pub fn condition_on_import(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::CrossStackValue,
        "a deploy-time condition cannot depend on another stack",
        Label::new(span, "imported from another stack"),
    )
    .with_note("CloudFormation does not allow `Fn::ImportValue` in conditions")
    .with_help("give this stack a parameter for the value, or decide at compile time")
}

/// `cycle` lists each stack's name and span, in dependency order.
pub fn stack_cycle(cycle: &[(String, Span)]) -> Diagnostic {
    let mut path: Vec<&str> = cycle.iter().map(|(name, _)| name.as_str()).collect();
    path.push(&cycle[0].0);
    let mut diagnostic = Diagnostic::new(
        Code::StackCycle,
        format!("stacks depend on each other: {}", path.join(" -> ")),
        Label::new(cycle[0].1, "imports from a stack that imports from it"),
    );
    for (name, span) in cycle.iter().skip(1) {
        diagnostic = diagnostic.with_secondary(*span, format!("`{name}` is part of the cycle"));
    }
    diagnostic.with_help("CloudFormation cannot deploy either stack first: reference one way only")
}

pub fn wrong_construct_kind(span: Span, key: &str, wanted: &str, found: Passed, param_type_span: Span) -> Diagnostic {
    let found = match found {
        Passed::Instance { name, construct } => format!("`{name}`, an instance of `{construct}`"),
        Passed::Resource { name, cfn_type } => format!("the resource `{name}` ({cfn_type})"),
        Passed::Value(kind) => kind_phrase(kind),
    };
    Diagnostic::new(
        Code::WrongConstructKind,
        format!("`{key}` wants an instance of `{wanted}`, found {found}"),
        Label::new(span, format!("expected an instance of `{wanted}`")),
    )
    .with_secondary(param_type_span, format!("`{key}` is declared as `{wanted}` here"))
    .with_help(format!("pass a resource declared as `resource NAME: {wanted} {{ ... }}`"))
}

pub fn unknown_override_target(span: Span, path: &str, suggestion: Option<&str>, targets: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::UnknownOverrideTarget,
        format!("the instance creates no resource `{path}`"),
        Label::new(span, "overrides nothing"),
    );
    let diagnostic = if targets.is_empty() {
        diagnostic.with_note("the instance creates no CloudFormation resources")
    } else {
        diagnostic.with_note(format!("it creates {}", quote_list(targets)))
    };
    diagnostic.with_help_opt(did_you_mean(suggestion))
}

pub fn file_not_found(span: Span, path: &str, error: &str) -> Diagnostic {
    Diagnostic::new(Code::FileNotFound, format!("cannot load `{path}`"), Label::new(span, error.to_string()))
        .with_help("the path is relative to the file that loads it, like `\"./scripts/userdata.sh\"`")
}

pub fn file_outside_root(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FileOutsideRoot,
        format!("`{path}` is outside the project"),
        Label::new(span, "leaves the project folder"),
    )
    .with_note("the project is the folder of the file named on the command line")
    .with_help("move the file into the project folder")
}

pub fn unused_parameter(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::UnusedParameter, format!("parameter `{name}` is never used"), Label::new(span, "unused"))
        .with_help("remove it, or use it in a resource or output")
}
