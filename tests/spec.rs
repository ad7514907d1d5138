//! The hand-written spec holds exactly the three Losant actions, with the parameters and
//! statuses of Losant's reference.

mod support;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, SchemaKind, Type};

const PATH: &str = "/instances/{instanceId}/orgs/{orgId}/invites/{inviteId}";

fn spec() -> OpenAPI {
    losant_invites_codegen::parse_spec(&support::spec_text()).expect("the spec parses")
}

fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
) -> &'a T {
    match item {
        ReferenceOr::Item(item) => item,
        ReferenceOr::Reference { reference } => {
            let name = reference
                .rsplit('/')
                .next()
                .expect("a reference names its target");
            match section.get(name) {
                Some(ReferenceOr::Item(item)) => item,
                _ => panic!("{reference} does not resolve"),
            }
        }
    }
}

/// The operations of the one path, keyed by HTTP method.
fn operations(spec: &OpenAPI) -> BTreeMap<&'static str, &Operation> {
    let ReferenceOr::Item(item) = &spec.paths.paths[PATH] else {
        panic!("{PATH} is a reference")
    };
    let all = [
        ("GET", &item.get),
        ("PUT", &item.put),
        ("POST", &item.post),
        ("DELETE", &item.delete),
        ("OPTIONS", &item.options),
        ("HEAD", &item.head),
        ("PATCH", &item.patch),
        ("TRACE", &item.trace),
    ];
    all.into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
        .collect()
}

#[test]
fn spec_is_openapi_3_0_3_for_losant_api_1_29_1() {
    let spec = spec();
    assert_eq!(spec.openapi, "3.0.3");
    assert_eq!(spec.info.version, "1.29.1");
}

#[test]
fn spec_has_one_path_with_the_three_actions() {
    let spec = spec();
    let paths: Vec<&String> = spec.paths.paths.keys().collect();
    assert_eq!(paths, [PATH]);
    let ids: BTreeMap<&str, &str> = operations(&spec)
        .into_iter()
        .map(|(method, op)| {
            (
                method,
                op.operation_id.as_deref().expect("every action has an id"),
            )
        })
        .collect();
    let expected = BTreeMap::from([
        ("DELETE", "instanceOrgInvite_delete"),
        ("GET", "instanceOrgInvite_get"),
        ("POST", "instanceOrgInvite_resendInvite"),
    ]);
    assert_eq!(ids, expected);
}

/// (name, location, required, default) of one parameter.
type ParameterFacts = (String, &'static str, bool, Option<serde_json::Value>);

fn parameter_facts(spec: &OpenAPI, parameter: &ReferenceOr<Parameter>) -> ParameterFacts {
    let components = spec.components.as_ref().expect("the spec has components");
    let parameter = resolve(parameter, &components.parameters);
    let location = match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    };
    let data = parameter.parameter_data_ref();
    let default = match &data.format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => resolve(schema, &components.schemas)
            .schema_data
            .default
            .clone(),
        openapiv3::ParameterSchemaOrContent::Content(_) => None,
    };
    (data.name.clone(), location, data.required, default)
}

#[test]
fn every_action_takes_the_reference_parameters() {
    let spec = spec();
    let ReferenceOr::Item(item) = &spec.paths.paths[PATH] else {
        unreachable!()
    };
    let mut facts: Vec<ParameterFacts> = item
        .parameters
        .iter()
        .map(|p| parameter_facts(&spec, p))
        .collect();
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    let expected: Vec<ParameterFacts> = vec![
        ("_actions".into(), "query", false, Some(false.into())),
        ("_embedded".into(), "query", false, Some(true.into())),
        ("_links".into(), "query", false, Some(true.into())),
        ("instanceId".into(), "path", true, None),
        ("inviteId".into(), "path", true, None),
        ("losantdomain".into(), "header", false, None),
        ("orgId".into(), "path", true, None),
    ];
    assert_eq!(facts, expected);
    for (method, op) in operations(&spec) {
        assert!(
            op.parameters.is_empty(),
            "{method} must not override the path's parameters"
        );
    }
}

#[test]
fn the_three_ids_share_the_one_losant_id_schema() {
    let spec = spec();
    let components = spec.components.as_ref().unwrap();
    let ReferenceOr::Item(item) = &spec.paths.paths[PATH] else {
        unreachable!()
    };
    let id_schemas: Vec<String> = item
        .parameters
        .iter()
        .map(|p| resolve(p, &components.parameters))
        .filter(|p| matches!(p, Parameter::Path { .. }))
        .map(|p| match &p.parameter_data_ref().format {
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
                reference.clone()
            }
            _ => panic!("{} must be a $ref to LosantId", p.parameter_data_ref().name),
        })
        .collect();
    assert_eq!(
        id_schemas,
        vec!["#/components/schemas/LosantId".to_owned(); 3]
    );
    let ReferenceOr::Item(id) = &components.schemas["LosantId"] else {
        panic!("LosantId is inline")
    };
    let SchemaKind::Type(Type::String(string)) = &id.schema_kind else {
        panic!("LosantId is a string")
    };
    assert_eq!(string.pattern.as_deref(), Some(r"^[A-Fa-f\d]{24}$"));
}

#[test]
fn every_action_documents_its_statuses_and_a_typed_default() {
    let spec = spec();
    let components = spec.components.as_ref().unwrap();
    let expected = BTreeMap::from([
        ("DELETE", (vec!["200", "400", "404"], "Success")),
        ("GET", (vec!["200", "400", "404"], "OrgInvite")),
        ("POST", (vec!["201", "400", "404"], "OrgInvite")),
    ]);
    for (method, op) in operations(&spec) {
        let (codes, success) = &expected[method];
        let documented: Vec<String> = op
            .responses
            .responses
            .keys()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(&documented, codes, "{method} statuses");
        for (status, response) in &op.responses.responses {
            let schema = body_schema(resolve(response, &components.responses));
            let want = if status.to_string().starts_with('2') {
                *success
            } else {
                "ApiError"
            };
            assert_eq!(
                schema,
                format!("#/components/schemas/{want}"),
                "{method} {status}"
            );
        }
        let default = op
            .responses
            .default
            .as_ref()
            .unwrap_or_else(|| panic!("{method} has a default"));
        assert_eq!(
            body_schema(resolve(default, &components.responses)),
            "#/components/schemas/ApiError"
        );
    }
}

fn body_schema(response: &openapiv3::Response) -> String {
    match &response.content["application/json"].schema {
        Some(ReferenceOr::Reference { reference }) => reference.clone(),
        other => panic!("a response body must reference a named schema, got {other:?}"),
    }
}

#[test]
fn every_action_requires_a_bearer_token_with_the_documented_scopes() {
    let spec = spec();
    let expected = BTreeMap::from([
        ("DELETE", "delete"),
        ("GET", "get"),
        ("POST", "resendInvite"),
    ]);
    for (method, op) in operations(&spec) {
        let security = op
            .security
            .as_ref()
            .unwrap_or_else(|| panic!("{method} names its scopes"));
        let scopes = &security[0]["bearerAuth"];
        let action = expected[method];
        for scope in ["all.Instance", "all.User", "instanceOrgInvite.*"] {
            assert!(
                scopes.iter().any(|s| s == scope),
                "{method} accepts {scope}"
            );
        }
        let own = format!("instanceOrgInvite.{action}");
        assert!(scopes.contains(&own), "{method} accepts {own}");
        let description = op.description.as_deref().unwrap_or_default();
        for scope in scopes {
            assert!(
                description.contains(&format!("`{scope}`")),
                "{method} describes {scope}"
            );
        }
        let read_only = scopes.iter().any(|s| s.ends_with(".read"));
        assert_eq!(
            read_only,
            method == "GET",
            "only get accepts read-only scopes"
        );
    }
}

#[test]
fn the_fake_grants_each_action_by_exactly_the_scopes_the_spec_lists() {
    use losant_invites_mock::Action;
    let spec = spec();
    for (method, op) in operations(&spec) {
        let action = Action::from_method(method).expect("the fake serves every method of the spec");
        let mut spec_scopes = op.security.as_ref().unwrap()[0]["bearerAuth"].clone();
        let mut fake_scopes: Vec<String> = action
            .accepted_scopes()
            .iter()
            .map(|s| s.to_string())
            .collect();
        spec_scopes.sort();
        fake_scopes.sort();
        assert_eq!(fake_scopes, spec_scopes, "{method}");
    }
}

/// Users read the models on docs.rs: every field of the invite, the role info and the grants
/// says what it holds.
#[test]
fn every_field_of_the_models_has_a_description() {
    let spec = spec();
    let schemas = &spec.components.as_ref().expect("components").schemas;
    for name in [
        "OrgInvite",
        "OrgRoleInfo",
        "ResourceRoleGrant",
        "ReportedResourceRoleGrant",
    ] {
        let ReferenceOr::Item(schema) = &schemas[name] else {
            panic!("{name} is inline")
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            panic!("{name} is an object")
        };
        for (field, property) in &object.properties {
            let ReferenceOr::Item(property) = property else {
                panic!("{name}.{field} is a bare $ref, which cannot carry a description")
            };
            let description = property.schema_data.description.as_deref().unwrap_or("");
            assert!(
                !description.trim().is_empty(),
                "{name}.{field} has no description"
            );
        }
    }
}
