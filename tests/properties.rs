//! Properties over generated inputs: what the spec allows decodes, what requests hold round
//! trips, IDs are exactly the 24-hex strings, and nothing else reaches a request URL.

mod support;

use losant_invites_client::types;
use losant_invites_mock::demo;
use proptest::prelude::*;
use serde_json::{Value, json};

/// The values the spec's enum `T` allows, read from its JSON Schema.
fn enum_values<T: schemars::JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    let values = schema.schema.enum_values.expect("an enum schema");
    values
        .iter()
        .map(|v| v.as_str().expect("string values").to_owned())
        .collect()
}

fn hex_id() -> impl Strategy<Value = String> + Clone {
    "[0-9a-fA-F]{24}"
}

fn role_info() -> impl Strategy<Value = types::OrgRoleInfo> {
    let org_role = prop::option::of(prop::sample::select(enum_values::<types::OrgRole>()));
    let grant = (
        hex_id(),
        prop::sample::select(enum_values::<types::ResourceRole>()),
    )
        .prop_map(|(id, role)| types::ResourceRoleGrant {
            resource_id: id.parse().unwrap(),
            role: role.parse().unwrap(),
        });
    // Not set, set empty, or set with grants: three different requests.
    let grants = || prop::option::of(prop::collection::vec(grant.clone(), 0..20));
    (org_role, grants(), grants()).prop_map(|(role, application_roles, dashboard_roles)| {
        types::OrgRoleInfo {
            role: role.map(|r| r.parse().unwrap()),
            application_roles: application_roles.map(Into::into),
            dashboard_roles: dashboard_roles.map(Into::into),
        }
    })
}

/// A role as Losant may report it: one the spec knows, or a newer one.
fn reported_role<T: schemars::JsonSchema>() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(enum_values::<T>()), "[a-zA-Z]{1,12}"]
}

fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn reported_grant() -> impl Strategy<Value = Value> {
    (
        hex_id(),
        reported_role::<types::ResourceRole>(),
        prop::option::of(small_json()),
    )
        .prop_map(|(id, role, extra)| {
            let mut grant = json!({"resourceId": id, "role": role});
            if let Some(extra) = extra {
                grant["note"] = extra;
            }
            grant
        })
}

/// An `OrgInvite` as the spec allows it, with fields and roles newer than the spec mixed in.
fn invite() -> impl Strategy<Value = Value> {
    let date = (0i64..4_102_444_800_000, 0i32..=1).prop_map(|(ms, utc)| {
        let date = chrono::DateTime::from_timestamp_millis(ms).unwrap();
        match utc {
            0 => date.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            _ => date
                .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).unwrap())
                .to_rfc3339(),
        }
    });
    let ttl = prop_oneof![
        any::<u32>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0.0f64..1e15).prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
    ];
    (
        (
            prop::option::of(hex_id()),
            prop::option::of(".{0,64}"),
            prop::option::of(reported_role::<types::OrgRole>()),
        ),
        (
            prop::option::of(prop::collection::vec(reported_grant(), 0..5)),
            prop::option::of(prop::collection::vec(reported_grant(), 0..5)),
        ),
        (
            prop::option::of(date),
            prop::option::of(ttl),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
        ),
        prop::collection::btree_map("[a-z_]{1,10}", small_json(), 0..3),
    )
        .prop_map(
            |((id, email, role), (apps, dashboards), (date, ttl, expired, transfer), extra)| {
                let mut invite = serde_json::Map::new();
                // Unknown fields first, so a known field of the same name wins.
                invite.extend(extra);
                let known = [
                    ("id", id.map(Value::from)),
                    ("email", email.map(Value::from)),
                    ("role", role.map(Value::from)),
                    ("applicationRoles", apps.map(Value::from)),
                    ("dashboardRoles", dashboards.map(Value::from)),
                    ("inviteDate", date.map(Value::from)),
                    ("ttl", ttl),
                    ("hasExpired", expired.map(Value::from)),
                    ("disallowTransfer", transfer.map(Value::from)),
                ];
                for (name, value) in known {
                    match value {
                        Some(value) => invite.insert(name.to_owned(), value),
                        None => invite.remove(name),
                    };
                }
                Value::Object(invite)
            },
        )
}

proptest! {
    #[test]
    fn every_valid_role_info_round_trips_unchanged(info in role_info()) {
        let text = serde_json::to_string(&info).unwrap();
        let back: types::OrgRoleInfo = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &info);
        prop_assert!(info.check_limits().is_ok());
    }

    #[test]
    fn every_invite_the_spec_allows_decodes(invite in invite()) {
        let decoded: types::OrgInvite = serde_json::from_value(invite.clone())
            .map_err(|e| TestCaseError::fail(format!("{e}: {invite}")))?;
        prop_assert_eq!(decoded.id.as_deref(), invite["id"].as_str());
        prop_assert_eq!(decoded.role.as_ref().map(|r| r.to_string()), invite["role"].as_str().map(str::to_owned));
        // Nothing unknown is dropped: every field the spec does not name is kept as sent.
        let schema = serde_json::to_value(schemars::schema_for!(types::OrgInvite)).unwrap();
        let known = schema["properties"].as_object().unwrap();
        for (name, value) in invite.as_object().unwrap() {
            if !known.contains_key(name) {
                prop_assert_eq!(decoded.extra.get(name), Some(value), "{} is kept", name);
            }
        }
    }

    // JSON -> typed -> JSON gives back the same JSON values: whole numbers stay whole, empty
    // lists stay, unknown fields and roles stay.
    #[test]
    fn every_invite_the_spec_allows_round_trips_unchanged(invite in invite()) {
        let decoded: types::OrgInvite = serde_json::from_value(invite.clone()).unwrap();
        let text = serde_json::to_string(&decoded).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &invite, "{}", text);
        // As text too: `604800000` is not printed as `604800000.0`.
        if let Some(ttl) = invite.get("ttl") {
            let original = ttl.to_string();
            prop_assert!(text.contains(&format!("\"ttl\":{original}")), "{} in {}", original, text);
        }
    }

    #[test]
    fn ids_are_exactly_the_24_hex_strings(text in prop_oneof![".*", "[0-9a-fA-F]{20,28}", "[0-9a-fA-F]{24}\n?", hex_id()]) {
        let is_id = text.len() == 24 && text.bytes().all(|b| b.is_ascii_hexdigit());
        prop_assert_eq!(text.parse::<losant_invites_client::LosantId>().is_ok(), is_id, "{:?}", text);
        prop_assert_eq!(losant_invites_mock::is_losant_id(&text), is_id, "the fake agrees: {:?}", text);
    }

    // The client checks the spec's ID pattern without a regex engine; a real ECMA-262 engine
    // reading the spec's own pattern must agree on every input, near misses above all.
    #[test]
    fn the_id_check_agrees_with_the_spec_pattern_as_a_regex(
        text in prop_oneof![".*", "[0-9a-gA-G]{23,25}", "[0-9a-fA-F]{24}[\n\r]?", "[0-9a-f０-９٠-٩]{24}", hex_id()]
    ) {
        let matched = LOSANT_ID_PATTERN.with(|pattern| pattern.find(&text).is_some());
        prop_assert_eq!(text.parse::<losant_invites_client::LosantId>().is_ok(), matched, "{:?}", text);
    }
}

thread_local! {
    /// The spec's `LosantId` pattern, compiled as JSON Schema reads it: an ECMA-262 regex.
    static LOSANT_ID_PATTERN: regress::Regex = {
        let spec: Value = serde_yaml_ng::from_str(&support::spec_text()).unwrap();
        let pattern = spec["components"]["schemas"]["LosantId"]["pattern"].as_str().unwrap();
        regress::Regex::new(pattern).unwrap()
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn url_characters_never_reach_the_request_url(
        prefix in "[0-9a-f]{0,12}",
        special in prop::sample::select(vec!["/", "?", "#", "%", "..", "%2F", "é", "\u{202e}", " ", "\0", "\n"]),
        suffix in "[0-9a-f]{0,12}",
    ) {
        let id = format!("{prefix}{special}{suffix}");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (error, sent) = runtime.block_on(async {
            let server = support::fake().await;
            let error = support::client(&server)
                .instance_org_invite_get()
                .instance_id(demo::INSTANCE_ID)
                .org_id(demo::ORG_ID)
                .invite_id(id.as_str())
                .send()
                .await
                .expect_err("not an ID");
            (error, server.requests().len())
        });
        prop_assert!(error.is_invalid_input(), "{}", error);
        prop_assert_eq!(sent, 0);
    }
}
