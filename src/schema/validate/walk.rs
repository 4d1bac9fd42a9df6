//! The walk over one resource body, value by value, following the schema's shapes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{format, pattern, DeployInfo, DeployKind, Field, Node, NodeValue};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{Kind, Origin, TypeHint};
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use crate::schema::{ObjectShape, Property, RequiredAlternatives, ResourceType, Shape, StringShape, Tagging};
use crate::source::Span;

/// Source types whose `Ref`/`Fn::GetAtt` values cfn-lint does not compare
/// with a destination's format: their values are whatever the user made them.
const UNFORMATTED_SOURCES: &[&str] = &[
    "AWS::CloudFormation::CustomResource",
    "AWS::CloudFormation::Stack",
    "AWS::ServiceCatalog::CloudFormationProvisionedProduct",
];

/// Types whose schemas accept any property at the top level (`patternProperties: {".*": ...}`):
/// a custom resource passes its properties to its handler.
const OPEN_TYPES: &[&str] = &["AWS::CloudFormation::CustomResource"];

/// The strings CloudFormation reads as booleans.
const BOOLEAN_STRINGS: &[&str] = &["true", "True", "TRUE", "false", "False", "FALSE"];

/// The members of an object: a resource's top level or an object shape.
struct Members<'s> {
    properties: &'s BTreeMap<String, Property>,
    required: &'s [String],
    alternatives: &'s [RequiredAlternatives],
    dependent_required: &'s BTreeMap<String, Vec<String>>,
    dependent_excluded: &'s BTreeMap<String, Vec<String>>,
    /// Properties beyond the declared ones are allowed.
    open: bool,
}

impl<'s> Members<'s> {
    fn of_object(object: &'s ObjectShape) -> Members<'s> {
        Members {
            properties: &object.properties,
            required: &object.required,
            alternatives: &object.required_alternatives,
            dependent_required: &object.dependent_required,
            dependent_excluded: &object.dependent_excluded,
            open: object.open,
        }
    }

    fn of_resource(resource: &'s ResourceType) -> Members<'s> {
        Members {
            properties: &resource.properties,
            required: &resource.required,
            alternatives: &resource.required_alternatives,
            dependent_required: &resource.dependent_required,
            dependent_excluded: &resource.dependent_excluded,
            // A resource's properties are closed (cfn-lint's E3002), except where the
            // schema's top level has `patternProperties`, which the data does not keep.
            open: OPEN_TYPES.contains(&resource.name),
        }
    }
}

/// Where a value sits in the resource body.
#[derive(Clone)]
struct Place {
    /// As the user reads it: `VersioningConfiguration.Status`, `Tags[0].Key`;
    /// empty for the body itself.
    display: String,
    /// As the schema's path lists spell it: `Tags.*.Key`.
    schema: String,
    /// What `infrac explain` takes for the object at or around this place:
    /// `AWS::S3::Bucket.VersioningConfiguration`.
    explain: String,
}

impl Place {
    fn root(type_name: &str) -> Place {
        Place { display: String::new(), schema: String::new(), explain: type_name.to_string() }
    }

    fn property(&self, key: &str) -> Place {
        Place {
            display: join(&self.display, key),
            schema: join(&self.schema, key),
            explain: format!("{}.{key}", self.explain),
        }
    }

    fn item(&self, index: usize) -> Place {
        Place {
            display: format!("{}[{index}]", self.display),
            schema: join(&self.schema, "*"),
            explain: self.explain.clone(),
        }
    }

    fn map_value(&self, key: &str) -> Place {
        Place { display: join(&self.display, key), schema: join(&self.schema, "*"), explain: self.explain.clone() }
    }
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

/// Whether a field's value counts as given, for the checks that report something missing.
fn maybe_present(node: &Node) -> bool {
    match &node.value {
        NodeValue::Null => false,
        NodeValue::Either(a, b) => maybe_present(a) || maybe_present(b),
        _ => true,
    }
}

/// Whether a field's value is certainly given, for the checks that report a conflict:
/// a deploy-time value of unknown kind may be an `Fn::If` with `AWS::NoValue`.
fn surely_present(node: &Node) -> bool {
    match &node.value {
        NodeValue::Null | NodeValue::Unknown => false,
        NodeValue::Deploy(info) => info.kind != DeployKind::Any,
        NodeValue::Either(a, b) => surely_present(a) && surely_present(b),
        _ => true,
    }
}

/// How deep the walk follows a value. Real resources nest a few levels; a
/// recursive definition (`AWS::WAFv2::WebACL`'s statements) written out
/// thousands of levels deep must not exhaust the stack.
const MAX_DEPTH: usize = 128;

pub(super) struct Walker<'r> {
    resource: &'r ResourceType,
    diagnostics: Vec<Diagnostic>,
    /// Values entered and not yet left.
    depth: usize,
}

impl<'r> Walker<'r> {
    pub(super) fn new(resource: &'r ResourceType) -> Walker<'r> {
        Walker { resource, diagnostics: Vec::new(), depth: 0 }
    }

    /// Checks a resource's properties; `type_span` carries what is missing at the top.
    pub(super) fn resource(mut self, fields: &[Field], type_span: Span) -> Vec<Diagnostic> {
        let members = Members::of_resource(self.resource);
        self.object(fields, &members, type_span, &Place::root(self.resource.name));
        self.diagnostics
    }

    /// Checks a resource attribute against its shape (a policy, whose shape
    /// is a [`ResourceType`] of its own): `display` names it in messages
    /// (`UpdatePolicy`), `anchor` carries what is missing at the top.
    pub(super) fn attribute(mut self, fields: &[Field], anchor: Span, display: &str) -> Vec<Diagnostic> {
        let members = Members::of_resource(self.resource);
        let place = Place { display: display.to_string(), schema: String::new(), explain: self.resource.name.into() };
        self.object(fields, &members, anchor, &place);
        self.diagnostics
    }

    /// Checks `AWS::CloudFormation::Init`: `configSets`, and every other key
    /// a config named by it.
    pub(super) fn cfn_init(mut self, node: &Node, display: &str) -> Vec<Diagnostic> {
        let place = Place { display: display.to_string(), schema: String::new(), explain: self.resource.name.into() };
        let fields = match &node.value {
            NodeValue::Object(fields) => fields,
            NodeValue::Null | NodeValue::Unknown | NodeValue::Deploy(_) | NodeValue::Either(..) => {
                return self.diagnostics
            }
            _ => {
                self.mismatch(node, &Shape::Object(Box::default()), &place);
                return self.diagnostics;
            }
        };
        let config = Shape::Def("Config".into());
        for field in fields {
            match self.resource.properties.get(&field.key) {
                Some(property) => {
                    self.value(&field.value, &property.shape, &place.property(&field.key), field.key_span)
                }
                None => self.value(&field.value, &config, &place.map_value(&field.key), field.key_span),
            }
        }
        self.diagnostics
    }

    fn is_read_only(&self, place: &Place) -> bool {
        self.resource.read_only.contains(&place.schema)
    }

    fn is_deprecated(&self, place: &Place) -> bool {
        self.resource.deprecated.contains(&place.schema)
    }

    /// Checks an object's fields against its members. `anchor` is where a
    /// missing property is reported: the type, the key that holds the object,
    /// or the list item.
    fn object(&mut self, fields: &[Field], members: &Members, anchor: Span, place: &Place) {
        // Names offered as did-you-mean for an unknown key: not reported missing as well.
        let mut suggested: Vec<&str> = Vec::new();
        for field in fields {
            if matches!(field.value.value, NodeValue::Null) {
                continue; // left out of the template
            }
            let child = place.property(&field.key);
            match members.properties.get(&field.key) {
                Some(_) if self.is_read_only(&child) => {
                    let readable = place.display.is_empty() && self.resource.attribute(&field.key).is_some();
                    self.diagnostics.push(diag::read_only_property(
                        field.key_span,
                        &child.display,
                        self.owner(place),
                        readable,
                    ));
                }
                Some(property) => {
                    if self.is_deprecated(&child) {
                        self.diagnostics.push(diag::deprecated_property(field.key_span, &child.display));
                    }
                    self.value(&field.value, &property.shape, &child, field.key_span);
                }
                None if members.open => {}
                None => {
                    let settable: Vec<&str> = members
                        .properties
                        .keys()
                        .filter(|name| !self.is_read_only(&place.property(name)))
                        .map(String::as_str)
                        .collect();
                    let suggestion = did_you_mean(&field.key, settable.iter().copied());
                    if let Some(suggestion) = suggestion {
                        suggested.push(suggestion);
                    }
                    self.diagnostics.push(diag::unknown_property(
                        field.key_span,
                        &field.key,
                        &place.explain,
                        suggestion,
                        &settable,
                    ));
                }
            }
        }

        let field = |name: &str| fields.iter().find(|f| f.key == name);
        let maybe = |name: &str| field(name).is_some_and(|f| maybe_present(&f.value));
        let surely = |name: &str| field(name).is_some_and(|f| surely_present(&f.value));

        let missing: Vec<&str> = members
            .required
            .iter()
            .map(String::as_str)
            .filter(|name| !maybe(name) && !suggested.contains(name))
            .collect();
        if !missing.is_empty() {
            self.diagnostics.push(diag::missing_required_properties(
                anchor,
                self.owner(place),
                &place.explain,
                &missing,
            ));
        }

        for group in members.alternatives {
            let options: Vec<Vec<&str>> =
                group.options.iter().map(|option| option.iter().map(String::as_str).collect()).collect();
            let satisfied = options.iter().filter(|option| option.iter().all(|name| maybe(name))).count();
            if satisfied == 0 {
                // A misspelt key already reported with a suggestion is not reported missing too.
                if !options.iter().flatten().any(|name| suggested.contains(name)) {
                    self.diagnostics.push(diag::missing_alternative(
                        anchor,
                        self.owner(place),
                        &place.explain,
                        &options,
                    ));
                }
                continue;
            }
            if !group.exactly_one {
                continue;
            }
            // More than one option certainly given. Empty options ("give none of these")
            // are left out: a union of objects merged into one says too little to tell a
            // conflict from a choice.
            let mut given: Vec<(Span, &str)> = options
                .iter()
                .filter(|option| !option.is_empty() && option.iter().all(|name| surely(name)))
                .flatten()
                .filter_map(|name| field(name).map(|f| (f.key_span, *name)))
                .collect();
            let options_given =
                options.iter().filter(|option| !option.is_empty() && option.iter().all(|name| surely(name))).count();
            if options_given > 1 {
                given.sort_by_key(|(span, _)| span.start);
                let (last, earlier) = given.split_last().expect("a given option names a present field");
                self.diagnostics.push(diag::conflicting_alternatives(
                    last.0,
                    last.1,
                    self.owner(place),
                    &options,
                    earlier,
                ));
            }
        }

        for (name, needs) in members.dependent_required {
            let Some(given) = field(name).filter(|f| surely_present(&f.value)) else { continue };
            let missing: Vec<&str> = needs.iter().map(String::as_str).filter(|need| !maybe(need)).collect();
            if !missing.is_empty() {
                self.diagnostics.push(diag::dependent_required(
                    given.key_span,
                    &place.property(name).display,
                    &missing,
                ));
            }
        }
        for (name, excluded) in members.dependent_excluded {
            let Some(given) = field(name).filter(|f| surely_present(&f.value)) else { continue };
            for other in excluded {
                // Report each pair once, at the later of the two keys.
                let Some(other_field) = field(other).filter(|f| surely_present(&f.value)) else { continue };
                let mutual = members.dependent_excluded.get(other).is_some_and(|list| list.contains(name));
                if mutual && other_field.key_span.start > given.key_span.start {
                    continue;
                }
                self.diagnostics.push(diag::dependent_excluded(
                    given.key_span,
                    &place.property(name).display,
                    other,
                    other_field.key_span,
                ));
            }
        }
    }

    /// What an object is called in messages: its path, or the type at the top.
    fn owner<'p>(&self, place: &'p Place) -> &'p str {
        if place.display.is_empty() {
            &place.explain
        } else {
            &place.display
        }
    }

    /// Checks one value against `shape`; `anchor` is where a missing property of
    /// an object held here is reported.
    fn value(&mut self, node: &Node, shape: &Shape, place: &Place, anchor: Span) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.value_at_depth(node, shape, place, anchor);
        self.depth -= 1;
    }

    fn value_at_depth(&mut self, node: &Node, shape: &Shape, place: &Place, anchor: Span) {
        let entered;
        let place = match shape {
            Shape::Def(name) => {
                entered = Place { explain: format!("{}.{name}", self.resource.name), ..place.clone() };
                &entered
            }
            _ => place,
        };
        match &node.value {
            NodeValue::Null | NodeValue::Unknown => return,
            NodeValue::Deploy(info) => return self.deploy(node.span, info, shape, place),
            NodeValue::Either(a, b) => {
                self.value_at_depth(a, shape, place, anchor);
                self.value_at_depth(b, shape, place, anchor);
                return;
            }
            // `{{resolve:ssm:/name}}` is a dynamic reference: CloudFormation puts the
            // value in at deploy time, so only its kind is known.
            NodeValue::String(text) if text.contains("{{resolve:") => {
                let info = DeployInfo {
                    kind: DeployKind::String,
                    resource: None,
                    parameter_type: None,
                    origin: Origin::DynamicReference,
                };
                return self.deploy(node.span, &info, shape, place);
            }
            _ => {}
        }
        match self.resource.resolve(shape) {
            Shape::Any | Shape::Def(_) => {}
            Shape::Json => {
                if matches!(node.value, NodeValue::List(_)) {
                    self.mismatch(node, shape, place);
                }
            }
            Shape::Union(members) => self.union(node, members, place, anchor),
            Shape::String(string) => self.string(node, string, place),
            Shape::Integer { min, max, allowed } => {
                let Some(number) = self.number(node, shape, place, true) else { return };
                if !allowed.is_empty() && !allowed.iter().any(|a| *a as f64 == number) {
                    let allowed: Vec<String> = allowed.iter().map(i64::to_string).collect();
                    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
                    let text = scalar_text(node).unwrap_or_default();
                    self.diagnostics.push(diag::value_not_allowed(node.span, &place.display, &text, &allowed, None));
                    return;
                }
                self.bounds(node, place, number, min.map(|m| m as f64), max.map(|m| m as f64));
            }
            Shape::Number { min, max } => {
                let Some(number) = self.number(node, shape, place, false) else { return };
                self.bounds(node, place, number, *min, *max);
            }
            Shape::Boolean => {
                let fine = match &node.value {
                    NodeValue::Bool(_) => true,
                    NodeValue::String(text) => BOOLEAN_STRINGS.contains(&text.as_str()),
                    _ => false,
                };
                if !fine {
                    self.mismatch(node, shape, place);
                }
            }
            Shape::List { item, min_items, max_items } => {
                let NodeValue::List(items) = &node.value else { return self.mismatch(node, shape, place) };
                let count = items.len() as u64;
                if min_items.is_some_and(|min| count < min) || max_items.is_some_and(|max| count > max) {
                    self.diagnostics.push(diag::item_count_out_of_range(
                        node.span,
                        &place.display,
                        count,
                        *min_items,
                        *max_items,
                    ));
                }
                for (index, value) in items.iter().enumerate() {
                    self.value(value, item, &place.item(index), value.span);
                }
            }
            Shape::Map { value, key_pattern } => {
                let NodeValue::Object(fields) = &node.value else { return self.mismatch(node, shape, place) };
                for field in fields {
                    if let Some(key_pattern) = key_pattern {
                        if pattern::matches(key_pattern, &field.key) == Some(false) {
                            self.diagnostics.push(diag::key_pattern_mismatch(
                                field.key_span,
                                &field.key,
                                &place.display,
                                key_pattern,
                            ));
                        }
                    }
                    self.value(&field.value, value, &place.map_value(&field.key), field.key_span);
                }
            }
            Shape::Object(object) => {
                let NodeValue::Object(fields) = &node.value else { return self.mismatch(node, shape, place) };
                self.object(fields, &Members::of_object(object), anchor, place);
            }
        }
    }

    /// Tries each member of a union; the value is fine if one accepts it. Otherwise
    /// the member that fits the value's kind best explains what is wrong.
    fn union(&mut self, node: &Node, members: &[Shape], place: &Place, anchor: Span) {
        let mark = self.diagnostics.len();
        let mut best: Option<((bool, usize), Vec<Diagnostic>)> = None;
        for member in members {
            self.value(node, member, place, anchor);
            let produced = self.diagnostics.split_off(mark);
            let errors = produced.iter().filter(|d| d.is_error()).count();
            if errors == 0 {
                self.diagnostics.extend(produced);
                return;
            }
            let rank = (!self.fits(node, member), errors);
            if best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank) {
                best = Some((rank, produced));
            }
        }
        if let Some((_, produced)) = best {
            self.diagnostics.extend(produced);
        }
    }

    /// Whether the value is of the same broad kind as the shape (object, list or scalar).
    fn fits(&self, node: &Node, shape: &Shape) -> bool {
        let resolved = self.resource.resolve(shape);
        match &node.value {
            NodeValue::Object(_) => {
                matches!(resolved, Shape::Object(_) | Shape::Map { .. } | Shape::Json)
                    || matches!(resolved, Shape::String(string) if is_json_string(string))
            }
            NodeValue::List(_) => matches!(resolved, Shape::List { .. }),
            _ => !matches!(resolved, Shape::Object(_) | Shape::Map { .. } | Shape::List { .. }),
        }
    }

    fn string(&mut self, node: &Node, shape: &StringShape, place: &Place) {
        // A JSON document (`AWS::IAM::ManagedPolicy.PolicyDocument`) may be written as the
        // object itself: the schema gives it no type, only string constraints.
        if is_json_string(shape) && matches!(node.value, NodeValue::Object(_) | NodeValue::List(_)) {
            return;
        }
        // CloudFormation turns numbers and booleans into strings.
        let Some(text) = scalar_text(node) else {
            return self.mismatch(node, &Shape::String(shape.clone()), place);
        };
        if !shape.allowed.is_empty() && !shape.allowed.iter().any(|allowed| same_enum_value(allowed, &text, shape)) {
            let allowed: Vec<&str> = shape.allowed.iter().map(String::as_str).collect();
            let suggestion = did_you_mean(&text, allowed.iter().copied());
            self.diagnostics.push(diag::value_not_allowed(node.span, &place.display, &text, &allowed, suggestion));
            return;
        }
        // Lengths and patterns apply to strings only, as in cfn-lint.
        let NodeValue::String(text) = &node.value else { return };
        let length = text.chars().count() as u64;
        if shape.min_len.is_some_and(|min| length < min) || shape.max_len.is_some_and(|max| length > max) {
            self.diagnostics.push(diag::length_out_of_range(
                node.span,
                &place.display,
                length,
                shape.min_len,
                shape.max_len,
            ));
            return;
        }
        if !shape.formats.is_empty() && format::matches_any(&shape.formats, text) == Some(false) {
            let formats: Vec<&str> = shape.formats.iter().map(String::as_str).collect();
            self.diagnostics.push(diag::literal_format_mismatch(node.span, &place.display, &formats));
            return;
        }
        if let Some(pattern) = &shape.pattern {
            if pattern::matches(pattern, text) == Some(false) {
                self.diagnostics.push(diag::pattern_mismatch(node.span, &place.display, pattern));
            }
        }
    }

    /// The value as a number where the schema wants one: numbers, and strings that
    /// read as one (an integer for `integer`), as CloudFormation converts them.
    fn number(&mut self, node: &Node, shape: &Shape, place: &Place, integer: bool) -> Option<f64> {
        let number = match &node.value {
            NodeValue::Number(n) => n.as_f64(),
            NodeValue::String(text) if integer => parse_integer(text),
            NodeValue::String(text) => parse_number(text),
            _ => None,
        };
        if number.is_none() {
            self.mismatch(node, shape, place);
        }
        number
    }

    fn bounds(&mut self, node: &Node, place: &Place, number: f64, min: Option<f64>, max: Option<f64>) {
        if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
            let text = scalar_text(node).unwrap_or_default();
            self.diagnostics.push(diag::number_out_of_range(node.span, &place.display, &text, min, max));
        }
    }

    fn mismatch(&mut self, node: &Node, shape: &Shape, place: &Place) {
        let expected = self.describe(shape);
        let resolved = self.resource.resolve(shape);
        let is_tag_list = self.resource.tagging == Tagging::List
            && self.resource.tag_property.as_deref() == Some(place.display.as_str());
        let hint = match (&node.value, resolved) {
            (NodeValue::Object(_), Shape::List { .. }) if is_tag_list => TypeHint::TagList,
            (_, Shape::List { item, .. }) if self.fits(node, item) => TypeHint::WrapInList,
            (NodeValue::List(_), shape) if !matches!(shape, Shape::List { .. }) => TypeHint::OneValue,
            _ => TypeHint::None,
        };
        self.diagnostics.push(diag::property_type_mismatch(
            node.span,
            &place.display,
            &expected,
            &found(&node.value),
            hint,
        ));
    }

    /// Checks a deploy-time value by its kind, and a reference's semantic format.
    fn deploy(&mut self, span: Span, info: &DeployInfo, shape: &Shape, place: &Place) {
        if info.kind == DeployKind::Any {
            return;
        }
        let resolved = self.resource.resolve(shape);
        if !self.kind_fits(info.kind, resolved) {
            let expected = self.describe(shape);
            self.diagnostics.push(diag::deploy_type_mismatch(
                span,
                &place.display,
                &expected,
                &deploy_kind(info.kind),
                &info.origin,
                matches!(resolved, Shape::List { .. }),
            ));
            return;
        }
        if let Shape::String(target) = resolved {
            self.format(span, info, target, place);
        }
    }

    fn kind_fits(&self, kind: DeployKind, shape: &Shape) -> bool {
        match shape {
            Shape::Any | Shape::Def(_) => true,
            Shape::Json => kind != DeployKind::List,
            Shape::Union(members) => members.iter().any(|member| self.kind_fits(kind, self.resource.resolve(member))),
            Shape::String(string) if is_json_string(string) => true,
            Shape::String(_) | Shape::Integer { .. } | Shape::Number { .. } | Shape::Boolean => {
                kind != DeployKind::List
            }
            Shape::List { .. } => kind == DeployKind::List,
            Shape::Map { .. } | Shape::Object(_) => false,
        }
    }

    /// Warns when a resource's `Ref` or attribute flows where the schema wants a
    /// value of another semantic format (a bucket's ARN where a role's is expected).
    fn format(&mut self, span: Span, info: &DeployInfo, target: &StringShape, place: &Place) {
        if target.formats.is_empty() {
            return;
        }
        let Some((type_name, attribute)) = &info.resource else { return };
        if UNFORMATTED_SOURCES.contains(&type_name.as_str())
            || (type_name == "AWS::SSM::Parameter" && attribute.as_deref() == Some("Value"))
        {
            return;
        }
        let Some(source) = crate::schema::resource_type(type_name) else { return };
        let shape = match attribute {
            Some(attribute) => match source.attribute(attribute) {
                Some(shape) => shape,
                None => return,
            },
            None => &source.ref_returns.shape,
        };
        let Shape::String(given) = source.resolve(shape) else { return };
        let normalise = |format: &str| match format {
            "AWS::EC2::SecurityGroup.GroupId" => "AWS::EC2::SecurityGroup.Id".to_string(),
            other => other.to_string(),
        };
        let given_formats: Vec<String> = given.formats.iter().map(|f| normalise(f)).collect();
        if target.formats.iter().any(|wanted| given_formats.contains(&normalise(wanted))) {
            return;
        }
        let wanted: Vec<&str> = target.formats.iter().map(String::as_str).collect();
        let given_formats: Vec<&str> = given_formats.iter().map(String::as_str).collect();
        self.diagnostics.push(diag::format_mismatch(
            span,
            &place.display,
            &wanted,
            type_name,
            attribute.as_deref(),
            &given_formats,
        ));
    }

    /// The kind of value `shape` takes, as messages name it.
    fn describe(&self, shape: &Shape) -> Kind {
        match self.resource.resolve(shape) {
            Shape::Any | Shape::Def(_) => Kind::Any,
            Shape::String(string) if is_json_string(string) => Kind::Json,
            Shape::String(_) => Kind::String,
            Shape::Integer { .. } => Kind::Integer,
            Shape::Number { .. } => Kind::Number,
            Shape::Boolean => Kind::Bool,
            Shape::List { item, .. } => match self.resource.resolve(item) {
                Shape::String(_) => Kind::list_of(Kind::String),
                Shape::Integer { .. } => Kind::list_of(Kind::Integer),
                Shape::Number { .. } => Kind::list_of(Kind::Number),
                Shape::Boolean => Kind::list_of(Kind::Bool),
                Shape::Object(_) | Shape::Map { .. } => Kind::list_of(Kind::Object),
                _ => Kind::list(),
            },
            Shape::Map { .. } | Shape::Object(_) => Kind::Object,
            Shape::Json => Kind::Json,
            Shape::Union(members) => Kind::OneOf(members.iter().map(|member| self.describe(member)).collect()),
        }
    }
}

/// A string whose semantic format is JSON: the object may stand for its text.
fn is_json_string(shape: &StringShape) -> bool {
    shape.formats.iter().any(|format| format == "json")
}

/// A scalar as CloudFormation turns it into a string; `None` for lists and objects.
fn scalar_text(node: &Node) -> Option<Cow<'_, str>> {
    match &node.value {
        NodeValue::String(text) => Some(Cow::Borrowed(text)),
        NodeValue::Number(n) => Some(Cow::Owned(n.to_string())),
        NodeValue::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
}

/// Compares a value with an enum entry as cfn-lint does: booleans and their
/// strings by truth, case-insensitively when the schema says so.
fn same_enum_value(allowed: &str, text: &str, shape: &StringShape) -> bool {
    let is_boolean = |s: &str| s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false");
    if shape.case_insensitive || (is_boolean(allowed) && is_boolean(text)) {
        allowed.to_lowercase() == text.to_lowercase()
    } else {
        allowed == text
    }
}

/// A string CloudFormation reads as an integer (`"20"`, `" 20 "`, `"+20"`, `"1_000"`),
/// as Python's `int()` does for cfn-lint.
fn parse_integer(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    let valid = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !valid {
        return None;
    }
    trimmed.replace('_', "").parse::<f64>().ok()
}

/// A string CloudFormation reads as a number (`"0.5"`, `"1e3"`), as Python's `float()` does.
fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.contains("__") || trimmed.starts_with('_') || trimmed.ends_with('_') {
        return None;
    }
    trimmed.replace('_', "").parse::<f64>().ok()
}

/// The kind of a value as the checker handed it over.
fn found(value: &NodeValue) -> Kind {
    match value {
        NodeValue::Null => Kind::Null,
        NodeValue::Bool(_) => Kind::Bool,
        NodeValue::Number(_) => Kind::Number,
        NodeValue::String(_) => Kind::String,
        NodeValue::List(_) => Kind::list(),
        NodeValue::Object(_) => Kind::Object,
        NodeValue::Deploy(info) => deploy_kind(info.kind),
        NodeValue::Either(..) | NodeValue::Unknown => Kind::Any,
    }
}

fn deploy_kind(kind: DeployKind) -> Kind {
    match kind {
        DeployKind::String => Kind::String,
        DeployKind::Number => Kind::Number,
        DeployKind::Bool => Kind::Bool,
        DeployKind::List => Kind::list(),
        DeployKind::Any => Kind::Any,
    }
}
