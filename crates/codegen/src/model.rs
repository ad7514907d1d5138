//! The spec read once into what generation needs of it: the operations, each with its names,
//! method, path, parameters, body, responses, scopes and how it behaves when its answer is
//! lost. Every pass reads this model, never the spec.
//!
//! Knowledge that no OpenAPI keyword holds comes from two extensions of the spec:
//! - `x-sent-by-default: true` on a query parameter: Losant's own clients send its default on
//!   every call unless the caller sets another value, so this client does too. Every other
//!   default is the server's and is not sent.
//! - `x-if-outcome-unknown` on an operation that changes something: what to check when its
//!   answer was lost and it may have taken effect all the same, said in the error.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    OpenAPI, Operation as SpecOperation, Parameter as SpecParameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use crate::ID_TYPE;
use crate::error::{CodegenError, problem};

/// The spec as generation reads it.
pub(crate) struct Api {
    pub(crate) operations: Vec<Operation>,
    /// The names of the spec's component schemas, each a Rust type.
    pub(crate) components: Vec<String>,
}

/// One operation of the spec.
pub(crate) struct Operation {
    /// The spec's `operationId`, such as `instanceOrgInvite_get`.
    pub(crate) id: String,
    /// Losant's name of the action: the operationId with its first `_` read as the dot, such
    /// as `instanceOrgInvite.get`.
    pub(crate) action: String,
    /// progenitor's builder type, such as `InstanceOrgInviteGet`.
    pub(crate) builder: String,
    /// progenitor's `Client` method, such as `instance_org_invite_get`.
    pub(crate) client_method: String,
    /// The HTTP method, upper case.
    pub(crate) http_method: String,
    pub(crate) path: String,
    /// The path item's parameters followed by the operation's own.
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<Body>,
    /// The documented success statuses, lowest first, with the component each answers.
    pub(crate) successes: Vec<(u16, Option<String>)>,
    /// The scopes that grant the operation: a token needs one of them.
    pub(crate) scopes: Vec<String>,
    /// Whether running it twice does no more than running it once (GET, PUT, DELETE, HEAD,
    /// OPTIONS), so a failed attempt may be retried even after the request left.
    pub(crate) retry_safe: bool,
    /// Whether it changes something on the server (anything but GET, HEAD and OPTIONS).
    pub(crate) changes: bool,
    /// What to check when the answer was lost: `x-if-outcome-unknown`.
    pub(crate) if_outcome_unknown: Option<String>,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// What a parameter holds, as far as generation cares.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// The spec's Losant ID, which generation replaces with the client crate's `LosantId`.
    Id,
    Boolean,
    Integer,
    Number,
    String,
    /// A string of these values.
    Enum(Vec<String>),
    /// Anything else, named for messages.
    Other(String),
}

pub(crate) struct Parameter {
    /// The name on the wire, such as `inviteId`.
    pub(crate) name: String,
    /// The setter's name, such as `invite_id`.
    pub(crate) rust_name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) description: Option<String>,
    pub(crate) kind: Kind,
    /// The default the client sends unless the caller sets another (`x-sent-by-default`).
    pub(crate) sent_default: Option<Value>,
    /// The spec's example, of the parameter or else of its schema.
    pub(crate) example: Option<Value>,
}

/// An operation's JSON request body: an object component, or a `oneOf` of object components
/// (which typify makes an enum of one variant per component, and progenitor gives no builder).
pub(crate) struct Body {
    /// The named component the body is.
    pub(crate) schema: String,
    pub(crate) description: Option<String>,
    /// The body's example, or else its schema's.
    pub(crate) example: Option<Value>,
    /// What an object body holds; empty for a `oneOf` body.
    pub(crate) object: Object,
    /// The alternatives of a `oneOf` body, each an object component; empty for an object.
    pub(crate) variants: Vec<Object>,
}

/// An object component of a request body.
pub(crate) struct Object {
    /// The component's name; the body's own for an object body.
    pub(crate) schema: String,
    /// The object's properties.
    pub(crate) fields: Vec<Field>,
    /// The list properties with a `maxItems`.
    pub(crate) limits: Vec<Limit>,
    /// The string properties of `format: email`, each with whether it is required.
    pub(crate) emails: Vec<(String, bool)>,
}

impl Object {
    /// Whether the object has checks a Rust type cannot hold by itself (see
    /// `body_checks.rs`).
    pub(crate) fn has_checks(&self) -> bool {
        !self.limits.is_empty() || !self.emails.is_empty()
    }
}

impl Body {
    /// Whether the body has checks a Rust type cannot hold by itself: its own, or those of
    /// any alternative.
    pub(crate) fn has_checks(&self) -> bool {
        self.object.has_checks() || self.variants.iter().any(Object::has_checks)
    }

    /// Whether the body is a `oneOf` of alternatives.
    pub(crate) fn is_one_of(&self) -> bool {
        !self.variants.is_empty()
    }
}

/// A property of a body object.
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) required: bool,
    /// The named component it is (a `$ref`, or the one `$ref` of an `allOf`).
    pub(crate) component: Option<String>,
    /// Whether that component is a string enum, which typify makes a Rust enum.
    pub(crate) is_enum: bool,
}

/// A list property of a request body with a `maxItems`.
pub(crate) struct Limit {
    pub(crate) name: String,
    pub(crate) max: usize,
    /// An optional property of a named list type, which typify makes an `Option`: one not set
    /// is not sent, and so has no limit to check.
    pub(crate) optional: bool,
}

impl Api {
    /// Reads every operation of `spec`.
    pub(crate) fn read(spec: &OpenAPI) -> Result<Self, CodegenError> {
        let mut operations = Vec::new();
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(problem(format!(
                    "path {path} is a $ref, which generation does not follow"
                )));
            };
            for (method, operation) in item.iter() {
                let parameters: Vec<&SpecParameter> = item
                    .parameters
                    .iter()
                    .chain(&operation.parameters)
                    .map(|p| resolve(spec, p, |c| &c.parameters))
                    .collect::<Result<_, _>>()?;
                operations.push(Operation::read(spec, path, method, operation, &parameters)?);
            }
        }
        let components = spec
            .components
            .iter()
            .flat_map(|components| components.schemas.keys().cloned())
            .collect();
        Ok(Self {
            operations,
            components,
        })
    }
}

impl Operation {
    fn read(
        spec: &OpenAPI,
        path: &str,
        method: &str,
        operation: &SpecOperation,
        parameters: &[&SpecParameter],
    ) -> Result<Self, CodegenError> {
        let id = operation.operation_id.clone().ok_or_else(|| {
            problem(format!(
                "{} {path} needs an operationId",
                method.to_uppercase()
            ))
        })?;
        let http_method = method.to_ascii_uppercase();
        let parameters = parameters
            .iter()
            .map(|p| Parameter::read(spec, &id, p))
            .collect::<Result<_, _>>()?;
        let body = match &operation.request_body {
            None => None,
            Some(body) => Some(Body::read(
                spec,
                &id,
                resolve(spec, body, |c| &c.request_bodies)?,
            )?),
        };
        let mut successes = Vec::new();
        for (status, response) in &operation.responses.responses {
            let StatusCode::Code(code @ 200..=299) = *status else {
                continue;
            };
            let response = resolve(spec, response, |c| &c.responses)?;
            let component = response
                .content
                .get("application/json")
                .and_then(|content| content.schema.as_ref())
                .and_then(referenced_name)
                .map(str::to_owned);
            successes.push((code, component));
        }
        successes.sort();
        let scopes = operation
            .security
            .iter()
            .flatten()
            .flat_map(|requirement| requirement.values().flatten())
            .cloned()
            .collect();
        let if_outcome_unknown = match operation.extensions.get("x-if-outcome-unknown") {
            None => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                return Err(problem(format!(
                    "{id}: x-if-outcome-unknown must be a string, got {other}"
                )));
            }
        };
        Ok(Self {
            action: id.replacen('_', ".", 1),
            builder: id.to_upper_camel_case(),
            client_method: id.to_snake_case(),
            retry_safe: matches!(
                http_method.as_str(),
                "GET" | "PUT" | "DELETE" | "HEAD" | "OPTIONS"
            ),
            changes: !matches!(http_method.as_str(), "GET" | "HEAD" | "OPTIONS"),
            http_method,
            path: path.to_owned(),
            parameters,
            body,
            successes,
            scopes,
            if_outcome_unknown,
            id,
        })
    }

    /// How error messages name it: `thing_get (GET /things)`.
    pub(crate) fn label(&self) -> String {
        format!("{} ({} {})", self.id, self.http_method, self.path)
    }

    /// The component its first success answers, if that is a named one.
    pub(crate) fn success_component(&self) -> Option<&str> {
        self.successes.first().and_then(|(_, name)| name.as_deref())
    }
}

impl Parameter {
    fn read(
        spec: &OpenAPI,
        operation: &str,
        parameter: &SpecParameter,
    ) -> Result<Self, CodegenError> {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            SpecParameter::Path { .. } => Location::Path,
            SpecParameter::Query { .. } => Location::Query,
            SpecParameter::Header { .. } => Location::Header,
            SpecParameter::Cookie { .. } => Location::Cookie,
        };
        let (kind, schema) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let resolved = resolve(spec, schema, |c| &c.schemas)?;
                let kind = match referenced_name(schema) {
                    Some(ID_TYPE) => Kind::Id,
                    _ => Kind::of(resolved),
                };
                (kind, Some(resolved))
            }
            ParameterSchemaOrContent::Content(_) => (Kind::Other("content".into()), None),
        };
        let sent = match data.extensions.get("x-sent-by-default") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(other) => {
                return Err(problem(format!(
                    "{operation}: x-sent-by-default of {} must be a boolean, got {other}",
                    data.name
                )));
            }
        };
        let default = schema.and_then(|s| s.schema_data.default.clone());
        let sent_default = match (sent, default, location) {
            (false, _, _) => None,
            (true, Some(default), Location::Query) => Some(default),
            (true, None, _) => {
                return Err(problem(format!(
                    "{operation}: parameter {} is x-sent-by-default but has no default",
                    data.name
                )));
            }
            (true, Some(_), _) => {
                return Err(problem(format!(
                    "{operation}: only a query parameter can be x-sent-by-default, not {}",
                    data.name
                )));
            }
        };
        Ok(Self {
            rust_name: data.name.to_snake_case(),
            name: data.name.clone(),
            location,
            required: data.required,
            description: data.description.clone(),
            kind,
            sent_default,
            example: data
                .example
                .clone()
                .or_else(|| schema.and_then(|s| s.schema_data.example.clone())),
        })
    }
}

impl Kind {
    fn of(schema: &Schema) -> Self {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => Kind::Boolean,
            SchemaKind::Type(Type::Integer(_)) => Kind::Integer,
            SchemaKind::Type(Type::Number(_)) => Kind::Number,
            SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => Kind::String,
            SchemaKind::Type(Type::String(string)) => {
                Kind::Enum(string.enumeration.iter().flatten().cloned().collect())
            }
            SchemaKind::Type(Type::Array(_)) => Kind::Other("an array".into()),
            SchemaKind::Type(Type::Object(_)) => Kind::Other("an object".into()),
            _ => Kind::Other("a composed schema".into()),
        }
    }
}

impl Body {
    fn read(
        spec: &OpenAPI,
        operation: &str,
        body: &openapiv3::RequestBody,
    ) -> Result<Self, CodegenError> {
        let content = body.content.get("application/json").ok_or_else(|| {
            problem(format!(
                "{operation}: the request body must be application/json"
            ))
        })?;
        let schema = content
            .schema
            .as_ref()
            .and_then(referenced_name)
            .ok_or_else(|| {
                problem(format!(
                    "{operation}: the request body must be a $ref to a named component schema"
                ))
            })?;
        let component = component_schema(spec, schema).ok_or_else(|| {
            problem(format!(
                "{operation}: the body schema {schema} is not an inline component"
            ))
        })?;
        let (object, variants) = match &component.schema_kind {
            SchemaKind::OneOf { one_of } => {
                let variants = one_of
                    .iter()
                    .map(|variant| {
                        let name = referenced_name(variant).ok_or_else(|| {
                            problem(format!(
                                "{operation}: each alternative of the body {schema} must be a \
                                 $ref to a named object component"
                            ))
                        })?;
                        let object = component_schema(spec, name).ok_or_else(|| {
                            problem(format!(
                                "{operation}: the alternative {name} of {schema} is not an inline component"
                            ))
                        })?;
                        Ok(Object::read(spec, name, object))
                    })
                    .collect::<Result<Vec<_>, CodegenError>>()?;
                (Object::empty(schema), variants)
            }
            _ => (Object::read(spec, schema, component), Vec::new()),
        };
        Ok(Self {
            schema: schema.to_owned(),
            description: body.description.clone(),
            example: content
                .example
                .clone()
                .or_else(|| component.schema_data.example.clone()),
            object,
            variants,
        })
    }
}

impl Object {
    fn empty(schema: &str) -> Self {
        Self {
            schema: schema.to_owned(),
            fields: Vec::new(),
            limits: Vec::new(),
            emails: Vec::new(),
        }
    }

    /// The properties of the object component `schema`, `object`.
    fn read(spec: &OpenAPI, schema: &str, object: &Schema) -> Self {
        let mut read = Self::empty(schema);
        if let SchemaKind::Type(Type::Object(properties)) = &object.schema_kind {
            for (name, property) in &properties.properties {
                let required = properties.required.contains(name);
                let component = property_type_name(property);
                let named = component.and_then(|c| component_schema(spec, c));
                let is_enum = named.is_some_and(|s| matches!(Kind::of(s), Kind::Enum(_)));
                let max = match (named, property) {
                    (Some(named), _) => max_items(named),
                    (None, ReferenceOr::Item(inline)) => max_items(inline),
                    (None, ReferenceOr::Reference { .. }) => None,
                };
                if let ReferenceOr::Item(inline) = property
                    && let SchemaKind::Type(Type::String(string)) = &inline.schema_kind
                    && string.format
                        == openapiv3::VariantOrUnknownOrEmpty::Unknown("email".to_owned())
                {
                    read.emails.push((name.clone(), required));
                }
                if let Some(max) = max {
                    read.limits.push(Limit {
                        name: name.clone(),
                        max,
                        optional: named.is_some() && !required,
                    });
                }
                read.fields.push(Field {
                    name: name.clone(),
                    required,
                    component: component.map(str::to_owned),
                    is_enum,
                });
            }
        }
        read
    }
}

fn max_items(schema: &Schema) -> Option<usize> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.max_items,
        _ => None,
    }
}

fn last_segment(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// `item` itself, or the component of the kind `components` picks that it refers to.
fn resolve<'a, T>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
    components: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Result<&'a T, CodegenError> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => spec
            .components
            .as_ref()
            .and_then(|c| components(c).get(last_segment(reference)))
            .and_then(|found| match found {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            })
            .ok_or_else(|| {
                problem(format!(
                    "{reference} does not resolve to an inline component"
                ))
            }),
    }
}

/// The named component schema `name`, if the spec has it inline.
fn component_schema<'a>(spec: &'a OpenAPI, name: &str) -> Option<&'a Schema> {
    match spec.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The component a `$ref` names, such as `OrgRoleInfo` for `#/components/schemas/OrgRoleInfo`.
fn referenced_name<T>(schema: &ReferenceOr<T>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(last_segment(reference)),
        ReferenceOr::Item(_) => None,
    }
}

/// The component a property's schema names: a `$ref` itself, or the one `$ref` of an `allOf`,
/// which is how the spec gives a referenced property a description of its own.
fn property_type_name(schema: &ReferenceOr<Box<Schema>>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(last_segment(reference)),
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => referenced_name(&all_of[0]),
            _ => None,
        },
    }
}

/// The model of a spec given as YAML text, for the passes' unit tests.
#[cfg(test)]
pub(crate) fn of(spec_yaml: &str) -> Api {
    Api::read(&crate::parse_spec(spec_yaml).expect("the fixture parses"))
        .expect("the fixture reads")
}

/// A spec of one bare GET, `thing_get` on `/things`, for the passes' unit tests.
#[cfg(test)]
pub(crate) fn bare_get() -> Operation {
    of("openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things:
    get:
      operationId: thing_get
      responses:
        '200': {description: ok}
")
    .operations
    .remove(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_operation_is_read_with_its_names_parameters_body_and_behaviour() {
        let api = super::of("openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {$ref: '#/components/schemas/LosantId'}, example: 575ec8687ae143cd83dc4a94}
      - {name: _links, in: query, x-sent-by-default: true, schema: {type: boolean, default: true}}
      - {name: sort, in: query, schema: {type: string, enum: [a, b], default: a}}
    post:
      operationId: thing_renew
      x-if-outcome-unknown: look it up
      security: [{bearerAuth: [all.Thing, thing.renew]}]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Renewal'}
            example: {level: high}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Things'}}}}
components:
  schemas:
    LosantId: {type: string}
    Level: {type: string, enum: [low, high]}
    Renewal:
      type: object
      properties:
        level: {allOf: [$ref: '#/components/schemas/Level']}
        tags: {type: array, items: {type: string}, maxItems: 3}
    Thing: {type: object}
    Things: {type: object}
");
        let op = &api.operations[0];
        assert_eq!(
            (
                op.action.as_str(),
                op.builder.as_str(),
                op.client_method.as_str()
            ),
            ("thing.renew", "ThingRenew", "thing_renew")
        );
        assert_eq!((op.retry_safe, op.changes), (false, true));
        assert_eq!(op.if_outcome_unknown.as_deref(), Some("look it up"));
        assert_eq!(op.scopes, ["all.Thing", "thing.renew"]);
        assert_eq!(
            op.successes,
            [
                (200, Some("Things".to_owned())),
                (201, Some("Thing".to_owned()))
            ]
        );
        let kinds: Vec<_> = op.parameters.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                super::Kind::Id,
                super::Kind::Boolean,
                super::Kind::Enum(vec!["a".into(), "b".into()])
            ]
        );
        let sent: Vec<_> = op
            .parameters
            .iter()
            .map(|p| p.sent_default.clone())
            .collect();
        assert_eq!(
            sent,
            [None, Some(true.into()), None],
            "only a marked default is sent"
        );
        let body = op.body.as_ref().unwrap();
        assert_eq!(body.schema, "Renewal");
        let object = &body.object;
        assert!(object.fields[0].is_enum && !object.fields[1].is_enum);
        assert_eq!(object.limits.len(), 1);
        assert_eq!(
            (object.limits[0].name.as_str(), object.limits[0].max),
            ("tags", 3)
        );
        assert!(!body.is_one_of());
    }

    /// A body that is one of several object components: each alternative read as an object.
    #[test]
    fn a_one_of_body_reads_each_alternative() {
        let api = super::of(
            "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things:
    post:
      operationId: thing_post
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201': {description: ok}
components:
  schemas:
    Thing:
      oneOf:
        - $ref: '#/components/schemas/ThingById'
        - $ref: '#/components/schemas/ThingByEmail'
    ThingById:
      type: object
      properties: {id: {type: string}, tags: {type: array, items: {type: string}, maxItems: 2}}
    ThingByEmail:
      type: object
      properties: {email: {type: string, format: email}}
",
        );
        let body = api.operations[0].body.as_ref().unwrap();
        assert!(body.is_one_of() && body.has_checks());
        let names: Vec<&str> = body.variants.iter().map(|v| v.schema.as_str()).collect();
        assert_eq!(names, ["ThingById", "ThingByEmail"]);
        assert_eq!(body.variants[0].limits[0].max, 2);
        assert_eq!(body.variants[1].emails, [("email".to_owned(), false)]);
    }

    #[test]
    fn a_shape_generation_cannot_use_names_the_operation() {
        let spec = |extension: &str| {
            format!(
                "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    get:
      operationId: thing_list
      parameters:
        - {{name: page, in: header, {extension}, schema: {{type: integer, default: 1}}}}
      responses:
        '200': {{description: ok}}
"
            )
        };
        for (extension, says) in [
            ("x-sent-by-default: true", "only a query parameter"),
            ("x-sent-by-default: maybe", "must be a boolean"),
        ] {
            let spec = crate::parse_spec(&spec(extension)).unwrap();
            let error = super::Api::read(&spec).err().expect("refused").to_string();
            assert!(
                error.contains("thing_list") && error.contains(says),
                "{error}"
            );
        }
    }
}
