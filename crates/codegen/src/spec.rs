//! Walking the parsed spec: its operations, with their path-level parameters resolved.

use openapiv3::{OpenAPI, Operation, Parameter, PathItem, ReferenceOr, Schema};

/// One operation of the spec.
pub(crate) struct SpecOperation<'a> {
    pub(crate) operation: &'a Operation,
    /// The path item's parameters followed by the operation's own, references resolved.
    pub(crate) parameters: Vec<&'a Parameter>,
}

fn methods(item: &PathItem) -> [&Option<Operation>; 8] {
    [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ]
}

/// Every operation of the spec.
pub(crate) fn operations(spec: &OpenAPI) -> Vec<SpecOperation<'_>> {
    let mut found = Vec::new();
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for operation in methods(item).into_iter().flatten() {
            let parameters = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(|p| resolve_parameter(spec, p))
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

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            match spec
                .components
                .as_ref()?
                .parameters
                .get(last_segment(reference))?
            {
                ReferenceOr::Item(parameter) => Some(parameter),
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
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { .. } => component_schema(spec, referenced_name(schema)?),
    }
}

/// The component a `$ref` names, such as `OrgRoleInfo` for `#/components/schemas/OrgRoleInfo`.
pub(crate) fn referenced_name<T>(schema: &ReferenceOr<T>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(last_segment(reference)),
        ReferenceOr::Item(_) => None,
    }
}

/// The schema of the operation's JSON request body, when it is a named component.
pub(crate) fn request_body_schema<'a>(
    spec: &'a OpenAPI,
    operation: &'a Operation,
) -> Option<&'a str> {
    let body = match operation.request_body.as_ref()? {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            match spec
                .components
                .as_ref()?
                .request_bodies
                .get(last_segment(reference))?
            {
                ReferenceOr::Item(body) => body,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    referenced_name(body.content.get("application/json")?.schema.as_ref()?)
}
