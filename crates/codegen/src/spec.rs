//! Walking the parsed spec: its operations, with their path-level parameters resolved.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, RequestBody, Schema};

use crate::{CodegenError, problem};

/// One operation of the spec.
pub(crate) struct SpecOperation<'a> {
    pub(crate) operation: &'a Operation,
    /// The path item's parameters followed by the operation's own, references resolved.
    pub(crate) parameters: Vec<&'a Parameter>,
}

/// The names one operation goes by in the spec, in Losant's docs and in generated code.
pub(crate) struct OperationNames {
    /// The spec's `operationId`, such as `instanceOrgInvite_get`.
    pub(crate) id: String,
    /// Losant's name of the action: the operationId with its first `_` read as the dot, such
    /// as `instanceOrgInvite.get`.
    pub(crate) action: String,
    /// progenitor's builder type, such as `InstanceOrgInviteGet`.
    pub(crate) builder: String,
    /// progenitor's `Client` method, such as `instance_org_invite_get`.
    pub(crate) method: String,
}

impl OperationNames {
    pub(crate) fn of(op: &SpecOperation<'_>) -> Result<Self, CodegenError> {
        let id = op
            .operation
            .operation_id
            .as_deref()
            .ok_or_else(|| problem("every operation needs an operationId"))?;
        Ok(Self::from_id(id))
    }

    /// The names of the operation whose `operationId` is `id`.
    pub(crate) fn from_id(id: &str) -> Self {
        Self {
            action: id.replacen('_', ".", 1),
            builder: id.to_upper_camel_case(),
            method: id.to_snake_case(),
            id: id.to_owned(),
        }
    }
}

/// Every operation of the spec.
pub(crate) fn operations(spec: &OpenAPI) -> Vec<SpecOperation<'_>> {
    let mut found = Vec::new();
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let parameters = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(|p| resolve(spec, p, |c| &c.parameters))
                .collect();
            found.push(SpecOperation {
                operation,
                parameters,
            });
        }
    }
    found
}

/// Every operation of the spec, mutably.
pub(crate) fn operations_mut(spec: &mut OpenAPI) -> impl Iterator<Item = &mut Operation> {
    spec.paths
        .paths
        .values_mut()
        .filter_map(|item| match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ]
            .into_iter()
            .flatten()
        })
}

fn last_segment(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// `item` itself, or the component of the kind `components` picks that it refers to.
fn resolve<'a, T>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
    components: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            match components(spec.components.as_ref()?).get(last_segment(reference))? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// The named component schema `name`, if the spec has it inline.
pub(crate) fn component_schema<'a>(spec: &'a OpenAPI, name: &str) -> Option<&'a Schema> {
    match spec.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The schema of a parameter, inline or the component its `$ref` names.
pub(crate) fn parameter_schema<'a>(
    spec: &'a OpenAPI,
    parameter: &'a Parameter,
) -> Option<&'a Schema> {
    let openapiv3::ParameterSchemaOrContent::Schema(schema) =
        &parameter.parameter_data_ref().format
    else {
        return None;
    };
    resolve(spec, schema, |c| &c.schemas)
}

/// The default the spec gives a query parameter, which the client sends unless the caller sets
/// another value (see `query_defaults.rs`); `None` for any other parameter.
pub(crate) fn query_default<'a>(
    spec: &'a OpenAPI,
    parameter: &'a Parameter,
) -> Option<&'a serde_json::Value> {
    match parameter {
        Parameter::Query { .. } => parameter_schema(spec, parameter)?
            .schema_data
            .default
            .as_ref(),
        _ => None,
    }
}

/// The component a `$ref` names, such as `OrgRoleInfo` for `#/components/schemas/OrgRoleInfo`.
pub(crate) fn referenced_name<T>(schema: &ReferenceOr<T>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(last_segment(reference)),
        ReferenceOr::Item(_) => None,
    }
}

/// The component a property's schema names: a `$ref` itself, or the one `$ref` of an `allOf`,
/// which is how the spec gives a referenced property a description of its own.
pub(crate) fn property_type_name(schema: &ReferenceOr<Box<Schema>>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(last_segment(reference)),
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            openapiv3::SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                referenced_name(&all_of[0])
            }
            _ => None,
        },
    }
}

/// The operation's request body, references resolved.
pub(crate) fn request_body<'a>(
    spec: &'a OpenAPI,
    operation: &'a Operation,
) -> Option<&'a RequestBody> {
    resolve(spec, operation.request_body.as_ref()?, |c| {
        &c.request_bodies
    })
}

/// The schema of the operation's JSON request body, when it is a named component.
pub(crate) fn request_body_schema<'a>(
    spec: &'a OpenAPI,
    operation: &'a Operation,
) -> Option<&'a str> {
    let body = request_body(spec, operation)?;
    referenced_name(body.content.get("application/json")?.schema.as_ref()?)
}

/// A spec of one bare GET, `thing_get` on `/things`, for the passes' unit tests.
#[cfg(test)]
pub(crate) fn bare_get() -> OpenAPI {
    crate::parse_spec(
        "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things:
    get:
      operationId: thing_get
      responses:
        '200': {description: ok}
",
    )
    .expect("the fixture parses")
}
