//! What the docs of each action's `Client` method say beyond progenitor's summary: the scopes
//! that grant it, from the spec's `security`, and a compiled example built from the spec's
//! parameter and body examples, in place of progenitor's uncompiled one. An example that stops
//! compiling fails the client's doc tests.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::error::{CodegenError, problem};
use crate::model::{Body, Operation};
use crate::progenitor_shape::{changed, client_method, doc_mut};

/// The crate the generated code is compiled into, as doc examples name it.
const CLIENT_CRATE: &str = "losant_invites_client";

/// Replaces progenitor's uncompiled example in the docs of the action's `Client` method by
/// the scopes and a compiled example.
pub(crate) fn document(file: &mut syn::File, op: &Operation) -> Result<(), CodegenError> {
    let example = example(op)?;
    let function = client_method(file, &op.client_method)?;
    let doc = doc_mut(function, "Client")?;
    let text = doc.value();
    let Some((kept, _)) = text.split_once("```ignore") else {
        return Err(changed(format_args!(
            "an ```ignore example in the docs of `Client::{}`",
            op.client_method
        )));
    };
    let scopes = match op.scopes.as_slice() {
        [] => String::new(),
        scopes => format!(
            "\n\n# Authentication\n\nThe token needs at least one of the scopes {}.",
            scopes
                .iter()
                .map(|scope| format!("`{scope}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    *doc = syn::LitStr::new(
        &format!("{}{scopes}\n\n# Example\n\n{example}", kept.trim_end()),
        doc.span(),
    );
    Ok(())
}

/// A compiled example of the action: its required parameters and body from the spec's examples.
fn example(op: &Operation) -> Result<String, CodegenError> {
    let mut calls = String::new();
    for parameter in op.parameters.iter().filter(|p| p.required) {
        let value = parameter.example.as_ref().ok_or_else(|| {
            problem(format!(
                "{}: parameter {} has no example",
                op.label(),
                parameter.name
            ))
        })?;
        calls.push_str(&format!("    .{}({value})\n", parameter.rust_name));
    }
    if let Some(body) = &op.body {
        calls.push_str(&format!("    .body({})\n", body_example(op, body)?));
    }
    let answer = op
        .success_component()
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
         let {answer} = client\n    .{}()\n{calls}    .send()\n    .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        op.client_method
    ))
}

/// The Rust expression building the body's example: a struct literal of the body type when
/// every field of the example is an enum of the spec (such as a role), which reads best; else
/// the example as JSON, decoded into the body type, which takes any shape.
fn body_example(op: &Operation, body: &Body) -> Result<String, CodegenError> {
    let example = body.example.as_ref().ok_or_else(|| {
        problem(format!(
            "{}: the request body {} has no example",
            op.label(),
            body.schema
        ))
    })?;
    let Value::Object(fields) = example else {
        return Err(problem(format!(
            "{}: the example of the request body {} is not an object",
            op.label(),
            body.schema
        )));
    };
    let schema = &body.schema;
    // One of several alternatives is written as JSON, which picks the alternative it fits.
    if body.is_one_of() {
        return Ok(format!(
            "serde_json::from_value::<types::{schema}>(serde_json::json!({example}))?"
        ));
    }
    let mut parts = Vec::new();
    for (name, value) in fields {
        let field = body
            .object
            .fields
            .iter()
            .find(|f| &f.name == name)
            .ok_or_else(|| {
                problem(format!(
                    "{}: the body example's {name} is not a property of {schema}",
                    op.label()
                ))
            })?;
        let (Some(enum_name), Value::String(value), true) =
            (&field.component, value, field.is_enum)
        else {
            return Ok(format!(
                "serde_json::from_value::<types::{schema}>(serde_json::json!({example}))?"
            ));
        };
        let variant = format!("types::{enum_name}::{}", value.to_upper_camel_case());
        let variant = match field.required {
            true => variant,
            false => format!("Some({variant})"),
        };
        parts.push(format!("{}: {variant}", name.to_snake_case()));
    }
    Ok(format!(
        "types::{schema} {{ {}, ..Default::default() }}",
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
            error.contains("thing_get (GET /things/{thingId}): parameter thingId has no example"),
            "{error}"
        );
    }

    #[test]
    fn docs_without_progenitor_s_example_are_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                ///Gets a thing
                pub fn thing_get(&self) {}
            }
        };
        let error = super::document(&mut file, &crate::model::bare_get())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("an ```ignore example in the docs of `Client::thing_get`"),
            "{error}"
        );
    }

    /// A body example of any shape (strings, numbers, booleans, lists, nested objects) is
    /// written as JSON decoded into the body type; one of enums alone as a struct literal.
    #[test]
    fn body_examples_of_every_shape_are_rendered() {
        let spec = |example: &str| {
            format!(
                "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    post:
      operationId: thing_post
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Thing'}}
            example: {example}
      responses:
        '201': {{description: ok}}
components:
  schemas:
    Level: {{type: string, enum: [low, high]}}
    Thing:
      type: object
      properties:
        level: {{allOf: [$ref: '#/components/schemas/Level']}}
        email: {{type: string}}
        tags: {{type: array, items: {{type: string}}}}
        size: {{type: number}}
        nested: {{type: object, properties: {{on: {{type: boolean}}}}}}
"
            )
        };
        let source = crate::generate(&spec("{level: high}")).unwrap();
        assert!(
            source.contains(
                ".body(types::Thing { level: Some(types::Level::High), ..Default::default() })"
            ),
            "{source}"
        );
        let source = crate::generate(&spec(
            "{level: low, email: a@example.com, tags: [x, y], size: 1.5, nested: {on: true}}",
        ))
        .unwrap();
        assert!(
            source.contains(r#".body(serde_json::from_value::<types::Thing>(serde_json::json!({"email":"a@example.com","level":"low","nested":{"on":true},"size":1.5,"tags":["x","y"]}))?)"#),
            "{source}"
        );
    }
}
