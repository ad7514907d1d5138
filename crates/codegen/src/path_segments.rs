//! IDs go into the URL as they are: a Losant ID is 24 hexadecimal characters, checked when the
//! client crate's `LosantId` is made, so it never needs percent-encoding.
//!
//! progenitor writes each path parameter as `encode_path(&id.to_string())`, two copies of the
//! ID per segment and three segments per request: a measurable share of the client's cost over
//! raw reqwest (see the README's Performance section). This pass hands each path parameter
//! whose schema is the replaced `LosantId` to the URL's `format!` directly, which writes it
//! through its `Display`. Path parameters of any other type keep progenitor's encoding.

use syn::Expr;

use crate::error::CodegenError;
use crate::model::{Kind, Location, Operation};
use crate::progenitor_shape::{GeneratedSend, changed, edit_url_format};

/// Writes the ID path parameters of `op` into its URL without encoding them.
pub(crate) fn write_ids(send: &mut GeneratedSend, op: &Operation) -> Result<(), CodegenError> {
    let ids: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == Location::Path && p.kind == Kind::Id)
        .map(|p| p.rust_name.as_str())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let builder = &op.builder;
    let mut found = Vec::new();
    edit_url_format(send, builder, |arguments| {
        for argument in arguments.iter_mut() {
            if let Some(id) = encoded(argument).filter(|id| ids.contains(&id.as_str())) {
                *argument = syn::parse_str(&id).expect("a parameter's name is a Rust path");
                found.push(id);
            }
        }
    })?;
    match ids.iter().find(|id| !found.iter().any(|f| f == *id)) {
        Some(missing) => Err(changed(format_args!(
            "`encode_path(&{missing}.to_string())` in the URL `format!` of `{builder}::send`"
        ))),
        None => Ok(()),
    }
}

/// `name` out of `encode_path(&name.to_string())`.
fn encoded(argument: &Expr) -> Option<String> {
    let Expr::Call(call) = argument else {
        return None;
    };
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    match &*to_string.receiver {
        Expr::Path(variable) => variable.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// A spec of one GET of a thing by its `thingId` of `schema`.
    fn spec(schema: &str) -> String {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things/{{thingId}}:
    get:
      operationId: thing_get
      parameters:
        - {{name: thingId, in: path, required: true, example: 575ec8687ae143cd83dc4a94, schema: {schema}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: object}}
components:
  schemas:
    LosantId: {{type: string, pattern: '^[A-Fa-f\\d]{{24}}$'}}
"
        )
    }

    /// The URL `format!` of the generated source for `spec`, without whitespace.
    fn url_format(spec: &str) -> String {
        let source: String = crate::generate(spec).unwrap().split_whitespace().collect();
        let start = source.find("leturl=format!(").expect("a URL format!");
        source[start..start + source[start..].find(");").unwrap()].to_string()
    }

    #[test]
    fn an_id_goes_into_the_url_as_it_is() {
        let url = url_format(&spec("{$ref: '#/components/schemas/LosantId'}"));
        assert!(
            url.starts_with(r#"leturl=format!("{}/things/{}",client.baseurl,thing_id"#),
            "{url}"
        );
        assert!(!url.contains("encode_path"), "{url}");
    }

    #[test]
    fn a_path_parameter_of_another_type_stays_encoded() {
        let url = url_format(&spec("{type: string}"));
        assert!(url.contains("encode_path(&thing_id.to_string())"), "{url}");
    }

    #[test]
    fn a_url_of_another_shape_is_an_error() {
        let api = crate::model::of(&spec("{$ref: '#/components/schemas/LosantId'}"));
        let mut block: syn::ItemImpl = syn::parse_quote! {
            impl<'a> ThingGet<'a> {
                pub async fn send(self) {
                    let url = format!("{}/things/{}", client.baseurl, encode(&thing_id));
                }
            }
        };
        let mut send =
            crate::progenitor_shape::GeneratedSend::take(&mut block, "ThingGet").unwrap();
        let error = super::write_ids(&mut send, &api.operations[0])
            .expect_err("a miss")
            .to_string();
        assert!(
            error.contains("`encode_path(&thing_id.to_string())` in the URL `format!`"),
            "{error}"
        );
    }
}
