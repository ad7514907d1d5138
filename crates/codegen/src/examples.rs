//! A compiled example in the docs of each action's `Client` method, built from the spec's
//! parameter and body examples, in place of progenitor's uncompiled one: an example that stops
//! compiling fails the client's doc tests.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};

use crate::progenitor_shape::{changed, client_method, doc_mut};
use crate::spec::{
    OperationNames, SpecOperation, component_schema, parameter_schema, property_type_name,
    referenced_name, request_body,
};
use crate::{CodegenError, problem};

/// The crate the generated code is compiled into, as doc examples name it.
const CLIENT_CRATE: &str = "losant_invites_client";

/// Replaces progenitor's uncompiled example in the docs of the action's `Client` method.
pub(crate) fn document(
    file: &mut syn::File,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    names: &OperationNames,
) -> Result<(), CodegenError> {
    let example = example(spec, op, &names.method)?;
    let function = client_method(file, &names.method)?;
    let doc = doc_mut(function, "Client")?;
    let text = doc.value();
    let Some((kept, _)) = text.split_once("```ignore") else {
        return Err(changed(format_args!(
            "an ```ignore example in the docs of `Client::{}`",
            names.method
        )));
    };
    *doc = syn::LitStr::new(
        &format!("{}\n\n# Example\n\n{example}", kept.trim_end()),
        doc.span(),
    );
    Ok(())
}
/// A compiled example of the action: its required parameters and body from the spec's examples.
fn example(spec: &OpenAPI, op: &SpecOperation<'_>, method: &str) -> Result<String, CodegenError> {
    let mut calls = String::new();
    for parameter in &op.parameters {
        let data = parameter.parameter_data_ref();
        if !data.required {
            continue;
        }
        let value = data
            .example
            .clone()
            .or_else(|| {
                parameter_schema(spec, parameter)?
                    .schema_data
                    .example
                    .clone()
            })
            .ok_or_else(|| problem(format!("{method}: parameter {} has no example", data.name)))?;
        calls.push_str(&format!("    .{}({value})\n", data.name.to_snake_case()));
    }
    if let Some(schema) = crate::spec::request_body_schema(spec, op.operation) {
        calls.push_str(&format!("    .body({})\n", body_example(spec, op, schema)?));
    }
    let answer = op
        .operation
        .responses
        .responses
        .iter()
        .find(|(status, _)| status.to_string().starts_with('2'))
        .and_then(|(_, response)| match response {
            ReferenceOr::Item(response) => {
                response.content.get("application/json")?.schema.as_ref()
            }
            ReferenceOr::Reference { .. } => None,
        })
        .and_then(referenced_name)
        .map(|name| {
            name.to_snake_case()
                .rsplit('_')
                .next()
                .unwrap_or("answer")
                .to_owned()
        })
        .unwrap_or_else(|| "answer".to_owned());
    Ok(format!(
        "```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         # use {CLIENT_CRATE}::{{Client, types}};\n\
         let client = Client::builder().token(std::env::var(\"LOSANT_API_TOKEN\")?).build()?;\n\
         let {answer} = client\n    .{method}()\n{calls}    .send()\n    .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ))
}

/// The Rust expression building the body example: a struct literal of the body type, with
/// enum-valued fields from the spec's example.
fn body_example(
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    schema_name: &str,
) -> Result<String, CodegenError> {
    let unsupported = |what: &str| {
        problem(format!(
            "{schema_name}: cannot render the body example: {what}"
        ))
    };
    let from_body = request_body(spec, op.operation)
        .and_then(|body| body.content.get("application/json")?.example.clone());
    let schema = component_schema(spec, schema_name)
        .ok_or_else(|| unsupported("the schema is not inline"))?;
    let example = from_body
        .or_else(|| schema.schema_data.example.clone())
        .ok_or_else(|| unsupported("no example"))?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err(unsupported("not an object"));
    };
    let serde_json::Value::Object(fields) = example else {
        return Err(unsupported("the example is not an object"));
    };
    let mut parts = Vec::new();
    for (name, value) in fields {
        let property = object
            .properties
            .get(&name)
            .ok_or_else(|| unsupported(&format!("{name} is not a property")))?;
        let enum_name = property_type_name(property)
            .ok_or_else(|| unsupported(&format!("{name} is not a named enum")))?;
        let value = value
            .as_str()
            .ok_or_else(|| unsupported(&format!("{name} is not a string")))?;
        let variant = format!("types::{enum_name}::{}", value.to_upper_camel_case());
        let variant = if object.required.contains(&name) {
            variant
        } else {
            format!("Some({variant})")
        };
        parts.push(format!("{}: {variant}", name.to_snake_case()));
    }
    Ok(format!(
        "types::{schema_name} {{ {}, ..Default::default() }}",
        parts.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_calls_the_action_with_the_spec_s_examples() {
        let spec = "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things/{thingId}:
    get:
      operationId: thing_get
      summary: Gets a thing
      parameters:
        - {name: thingId, in: path, required: true, example: abc, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing: {type: object}
";
        let source = crate::generate(spec).unwrap();
        assert!(source.contains("# Example"), "{source}");
        assert!(
            source.contains("let thing = client\n    .thing_get()\n    .thing_id(\"abc\")"),
            "{source}"
        );
        assert!(!source.contains("```ignore"), "{source}");
    }

    #[test]
    fn a_parameter_without_an_example_is_an_error() {
        let spec = "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things/{thingId}:
    get:
      operationId: thing_get
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
";
        let error = crate::generate(spec).unwrap_err().to_string();
        assert!(
            error.contains("thing_get: parameter thingId has no example"),
            "{error}"
        );
    }

    #[test]
    fn docs_without_progenitor_s_example_are_an_error() {
        let spec = crate::spec::bare_get();
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                ///Gets a thing
                pub fn thing_get(&self) {}
            }
        };
        let op = &crate::spec::operations(&spec)[0];
        let names = crate::spec::OperationNames::of(op).unwrap();
        let error = super::document(&mut file, &spec, op, &names)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("an ```ignore example in the docs of `Client::thing_get`"),
            "{error}"
        );
    }
}
