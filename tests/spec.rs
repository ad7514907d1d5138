//! Rules every operation of the hand-written spec keeps, whatever operations it holds: each is
//! one of Losant's actions, with its IDs, scopes, statuses and examples as Losant's reference
//! gives them. Adding an operation needs no change here.

mod support;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn spec() -> Value {
    serde_yaml_ng::from_str(&support::spec_text()).expect("the spec is YAML")
}

/// `value` itself, or what its `$ref` points at in `spec`.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            spec.pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} resolves"))
        }
        None => value,
    }
}

/// One operation: its method, path, the operation and its parameters (the path item's, then
/// its own), resolved.
struct Op<'a> {
    method: &'a str,
    path: &'a str,
    operation: &'a Value,
    parameters: Vec<&'a Value>,
}

impl Op<'_> {
    fn id(&self) -> &str {
        self.operation["operationId"].as_str().unwrap_or_default()
    }

    fn scopes(&self) -> Vec<&str> {
        self.operation["security"][0]["bearerAuth"]
            .as_array()
            .unwrap_or_else(|| panic!("{} names its scopes under bearerAuth", self.id()))
            .iter()
            .filter_map(Value::as_str)
            .collect()
    }
}

fn operations(spec: &Value) -> Vec<Op<'_>> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let parameters = item["parameters"]
                .as_array()
                .into_iter()
                .chain(operation["parameters"].as_array())
                .flatten()
                .map(|p| resolve(spec, p))
                .collect();
            found.push(Op {
                method,
                path,
                operation,
                parameters,
            });
        }
    }
    assert!(!found.is_empty(), "the spec has operations");
    found
}

#[test]
fn spec_is_openapi_3_0_3_for_losant_api_1_29_1() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.0.3");
    assert_eq!(spec["info"]["version"], "1.29.1");
}

/// Losant's operation names, `resource_action`, which generation reads as `resource.action`.
#[test]
fn every_operation_is_named_as_losant_names_it() {
    let spec = spec();
    let mut ids = Vec::new();
    for op in operations(&spec) {
        let (resource, action) = op.id().split_once('_').expect("resource_action");
        // Losant's resources of an instance's organizations: instanceOrgInvite(s),
        // instanceOrgMember(s).
        assert!(resource.starts_with("instanceOrg"), "{}", op.id());
        assert!(!action.is_empty() && !action.contains('_'), "{}", op.id());
        ids.push(op.id().to_owned());
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation IDs are unique");
}

/// Every ID in a path is a Losant ID, the one schema the client replaces with its `LosantId`,
/// with an example for the docs.
#[test]
fn every_path_parameter_is_a_losant_id_with_an_example() {
    let spec = spec();
    for op in operations(&spec) {
        for parameter in op.parameters.iter().filter(|p| p["in"] == "path") {
            let name = parameter["name"].as_str().unwrap();
            assert!(
                op.path.contains(&format!("{{{name}}}")),
                "{} {name}",
                op.id()
            );
            assert_eq!(
                parameter["schema"]["$ref"],
                "#/components/schemas/LosantId",
                "{} {name}",
                op.id()
            );
            assert_eq!(parameter["required"], true, "{} {name}", op.id());
            assert!(parameter["example"].is_string(), "{} {name}", op.id());
        }
    }
    let id = &spec["components"]["schemas"]["LosantId"];
    assert_eq!(id["type"], "string");
    assert_eq!(id["pattern"], r"^[A-Fa-f\d]{24}$");
}

/// Losant's clients send `_actions=false`, `_links=true`, `_embedded=true` on every call, and
/// no other default: every other default is the server's.
#[test]
fn only_the_defaults_losant_s_clients_send_are_sent_by_default() {
    let spec = spec();
    for op in operations(&spec) {
        let mut sent: Vec<(&str, &Value)> = op
            .parameters
            .iter()
            .filter(|p| p["x-sent-by-default"] == true)
            .map(|p| (p["name"].as_str().unwrap(), &p["schema"]["default"]))
            .collect();
        sent.sort_by_key(|(name, _)| *name);
        assert_eq!(
            sent,
            [
                ("_actions", &Value::Bool(false)),
                ("_embedded", &Value::Bool(true)),
                ("_links", &Value::Bool(true)),
            ],
            "{}",
            op.id()
        );
        assert!(
            op.parameters
                .iter()
                .any(|p| p["name"] == "losantdomain" && p["in"] == "header"),
            "{} takes losantdomain",
            op.id()
        );
    }
}

/// Every operation documents its success with a named schema, 400 and 404 with Losant's error
/// body, and any other status (`default`) with the same.
#[test]
fn every_operation_documents_its_statuses() {
    let spec = spec();
    for op in operations(&spec) {
        let responses = op.operation["responses"].as_object().unwrap();
        let successes: Vec<&String> = responses.keys().filter(|s| s.starts_with('2')).collect();
        assert!(!successes.is_empty(), "{} documents a success", op.id());
        for status in successes {
            let body = &resolve(&spec, &responses[status])["content"]["application/json"];
            assert!(
                body["schema"]["$ref"].is_string(),
                "{} {status}: a named schema",
                op.id()
            );
        }
        for status in ["400", "404", "default"] {
            let response = resolve(
                &spec,
                responses
                    .get(status)
                    .unwrap_or_else(|| panic!("{} documents {status}", op.id())),
            );
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiError",
                "{} {status}",
                op.id()
            );
        }
    }
}

/// Every operation needs a bearer token with one of its scopes: the broad ones, the resource's
/// wildcard and its own; read-only scopes grant reading only.
#[test]
fn every_operation_requires_a_bearer_token_with_its_scopes() {
    let spec = spec();
    for op in operations(&spec) {
        let scopes = op.scopes();
        let (resource, action) = op.id().split_once('_').unwrap();
        for scope in [
            "all.Instance",
            "all.User",
            &format!("{resource}.*"),
            &format!("{resource}.{action}"),
        ] {
            assert!(scopes.contains(&scope), "{} accepts {scope}", op.id());
        }
        let read_only = scopes.iter().any(|s| s.ends_with(".read"));
        assert_eq!(
            read_only,
            op.method == "get",
            "{}: read-only scopes",
            op.id()
        );
    }
}

/// What to check when an answer is lost is said for every operation that changes something,
/// and only for those.
#[test]
fn every_operation_that_changes_something_says_what_to_check_when_its_answer_is_lost() {
    let spec = spec();
    for op in operations(&spec) {
        let advice = &op.operation["x-if-outcome-unknown"];
        match op.method {
            "get" | "head" | "options" => assert!(advice.is_null(), "{}", op.id()),
            _ => assert!(advice.is_string(), "{} says what to check", op.id()),
        }
    }
}

/// Every request body is a named schema with an example, which the docs' example uses.
#[test]
fn every_request_body_is_a_named_schema_with_an_example() {
    let spec = spec();
    for op in operations(&spec) {
        let Some(body) = op.operation.get("requestBody") else {
            continue;
        };
        let body = &resolve(&spec, body)["content"]["application/json"];
        let name = body["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: a named body schema", op.id()));
        let schema = resolve(&spec, &body["schema"]);
        assert!(
            body["example"].is_object() || schema["example"].is_object(),
            "{}: {name} has an example",
            op.id()
        );
    }
}

/// The fake grants each operation by exactly the scopes the spec lists.
#[test]
fn the_fake_grants_each_operation_by_exactly_the_scopes_the_spec_lists() {
    let spec = spec();
    for op in operations(&spec) {
        let action: losant_invites_mock::Action = op
            .id()
            .replacen('_', ".", 1)
            .parse()
            .unwrap_or_else(|e| panic!("the fake serves {}: {e}", op.id()));
        let mut spec_scopes = op.scopes();
        let mut fake_scopes = action.accepted_scopes().to_vec();
        spec_scopes.sort_unstable();
        fake_scopes.sort_unstable();
        assert_eq!(fake_scopes, spec_scopes, "{}", op.id());
    }
}

/// Users read the models on docs.rs: every property of every object schema says what it holds.
#[test]
fn every_property_of_every_schema_has_a_description() {
    let spec = spec();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            assert!(
                property.get("$ref").is_none(),
                "{name}.{field} is a bare $ref, which cannot carry a description"
            );
            let description = property["description"].as_str().unwrap_or_default();
            assert!(
                !description.trim().is_empty(),
                "{name}.{field} has no description"
            );
        }
    }
}
