//! The standard AWS regional endpoint rule set, synthesized for a service that predates
//! `smithy.rules#endpointRuleSet` and only names its `aws.api#service` `endpointPrefix`.
//!
//! [`standard_rule_set`] builds the rule set AWS publishes for a plain regional service
//! (the one the Chime SDK Meetings model carries for `meetings-chime`):
//! a custom endpoint URL (refused together with FIPS or dual-stack), then, once the region's
//! partition is known, FIPS + dual-stack, FIPS only, dual-stack only and the default
//! endpoint, each refused with an error when the partition lacks the feature, and finally
//! an error when no region is configured. Partition data (`dnsSuffix`,
//! `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`) is read at resolution time
//! through `aws.partition`, so the rule set itself does not depend on the partition table.
//!
//! [`standard_endpoint_tests`] writes the matching `smithy.rules#endpointTests`: for one
//! region of every partition in the table, the four FIPS × dual-stack combinations (an
//! endpoint, or the rule set's error where the partition lacks the feature), plus the
//! custom-endpoint cases and the missing-region error. The expectations are computed here
//! from the partition table, independently of the rules, so the generated tests check the
//! compiled rules against the table.

use serde_json::{json, Map, Value};

use super::EndpointError;

const FIPS_WITH_CUSTOM_ENDPOINT: &str =
    "Invalid Configuration: FIPS and custom endpoint are not supported";
const DUAL_STACK_WITH_CUSTOM_ENDPOINT: &str =
    "Invalid Configuration: Dualstack and custom endpoint are not supported";
const FIPS_AND_DUAL_STACK_UNSUPPORTED: &str =
    "FIPS and DualStack are enabled, but this partition does not support one or both";
const FIPS_UNSUPPORTED: &str = "FIPS is enabled but this partition does not support FIPS";
const DUAL_STACK_UNSUPPORTED: &str =
    "DualStack is enabled but this partition does not support DualStack";
const MISSING_REGION: &str = "Invalid Configuration: Missing Region";

/// The variable the partition of the configured region is bound to.
const PARTITION: &str = "PartitionResult";

/// The standard AWS endpoint rule set (`smithy.rules#endpointRuleSet` value) of a regional
/// service whose hostnames start with `endpoint_prefix` (e.g. `meetings-chime` gives
/// `https://meetings-chime.{Region}.amazonaws.com` and its FIPS / dual-stack variants).
pub fn standard_rule_set(endpoint_prefix: &str) -> Value {
    let host = |suffix: &str, dns_attribute: &str| {
        endpoint(&format!(
            "https://{endpoint_prefix}{suffix}.{{Region}}.{{{PARTITION}#{dns_attribute}}}"
        ))
    };
    let by_partition = tree(
        vec![json!({"fn": "aws.partition", "argv": [reference("Region")], "assign": PARTITION})],
        vec![
            feature(
                vec![is_true("UseFIPS"), is_true("UseDualStack")],
                vec![supports("supportsFIPS"), supports("supportsDualStack")],
                host("-fips", "dualStackDnsSuffix"),
                FIPS_AND_DUAL_STACK_UNSUPPORTED,
            ),
            feature(
                vec![is_true("UseFIPS")],
                vec![supports("supportsFIPS")],
                host("-fips", "dnsSuffix"),
                FIPS_UNSUPPORTED,
            ),
            feature(
                vec![is_true("UseDualStack")],
                vec![supports("supportsDualStack")],
                host("", "dualStackDnsSuffix"),
                DUAL_STACK_UNSUPPORTED,
            ),
            host("", "dnsSuffix"),
        ],
    );
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {
                "builtIn": "AWS::Region",
                "required": false,
                "documentation": "The AWS region whose endpoint the request goes to.",
                "type": "String"
            },
            "UseDualStack": {
                "builtIn": "AWS::UseDualStack",
                "required": true,
                "default": false,
                "documentation": "Whether to use the endpoint that answers over IPv4 and IPv6; an error if the region's partition has none.",
                "type": "Boolean"
            },
            "UseFIPS": {
                "builtIn": "AWS::UseFIPS",
                "required": true,
                "default": false,
                "documentation": "Whether to use the FIPS 140-validated endpoint; an error if the region's partition has none.",
                "type": "Boolean"
            },
            "Endpoint": {
                "builtIn": "SDK::Endpoint",
                "required": false,
                "documentation": "An endpoint URL that replaces the one derived from the region.",
                "type": "String"
            }
        },
        "rules": [
            tree(
                vec![is_set("Endpoint")],
                vec![
                    error(vec![is_true("UseFIPS")], FIPS_WITH_CUSTOM_ENDPOINT),
                    error(vec![is_true("UseDualStack")], DUAL_STACK_WITH_CUSTOM_ENDPOINT),
                    json!({"conditions": [], "endpoint": {"url": reference("Endpoint")}, "type": "endpoint"}),
                ],
            ),
            tree(vec![is_set("Region")], vec![by_partition]),
            error(Vec::new(), MISSING_REGION),
        ]
    })
}

/// `smithy.rules#endpointTests` for [`standard_rule_set`] over the partition table the
/// generated code embeds (`codegen/data/partitions.json`).
pub fn standard_endpoint_tests(endpoint_prefix: &str) -> Result<Value, EndpointError> {
    standard_endpoint_tests_with_partitions(endpoint_prefix, super::PARTITIONS_JSON)
}

/// Like [`standard_endpoint_tests`], over a caller-provided partition table (the layout of
/// `codegen/data/partitions.json`, or the region map of the public `partitions.json`).
/// Pair it with [`super::endpoint_module_with_partitions`] and the same table.
pub fn standard_endpoint_tests_with_partitions(
    endpoint_prefix: &str,
    partitions_json: &str,
) -> Result<Value, EndpointError> {
    let mut cases = Vec::new();
    for partition in sample_regions(partitions_json)? {
        for (use_fips, use_dual_stack) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            cases.push(json!({
                "documentation": format!(
                    "{} partition, region {}, FIPS {}, dual-stack {}",
                    partition.id,
                    partition.region,
                    on_off(use_fips),
                    on_off(use_dual_stack)
                ),
                "expect": partition.expectation(endpoint_prefix, use_fips, use_dual_stack),
                "params": {
                    "Region": partition.region,
                    "UseFIPS": use_fips,
                    "UseDualStack": use_dual_stack
                }
            }));
        }
    }
    let custom = "https://example.com";
    let with_custom_endpoint = [
        (
            Some("us-east-1"),
            false,
            false,
            json!({"endpoint": {"url": custom}}),
        ),
        (None, false, false, json!({"endpoint": {"url": custom}})),
        (
            Some("us-east-1"),
            true,
            false,
            json!({"error": FIPS_WITH_CUSTOM_ENDPOINT}),
        ),
        (
            Some("us-east-1"),
            false,
            true,
            json!({"error": DUAL_STACK_WITH_CUSTOM_ENDPOINT}),
        ),
    ];
    for (region, use_fips, use_dual_stack, expect) in with_custom_endpoint {
        let mut params = Map::new();
        if let Some(region) = region {
            params.insert("Region".into(), region.into());
        }
        params.insert("UseFIPS".into(), use_fips.into());
        params.insert("UseDualStack".into(), use_dual_stack.into());
        params.insert("Endpoint".into(), custom.into());
        cases.push(json!({
            "documentation": format!(
                "custom endpoint URL, region {}, FIPS {}, dual-stack {}",
                region.unwrap_or("unset"),
                on_off(use_fips),
                on_off(use_dual_stack)
            ),
            "expect": expect,
            "params": params
        }));
    }
    cases.push(json!({
        "documentation": "no region and no custom endpoint URL",
        "expect": {"error": MISSING_REGION}
    }));
    Ok(json!({"version": "1.0", "testCases": cases}))
}

fn on_off(flag: bool) -> &'static str {
    if flag {
        "on"
    } else {
        "off"
    }
}

// ---------------------------------------------------------------------------------------------
// Rule-set building blocks
// ---------------------------------------------------------------------------------------------

fn reference(name: &str) -> Value {
    json!({"ref": name})
}

fn is_set(param: &str) -> Value {
    json!({"fn": "isSet", "argv": [reference(param)]})
}

fn is_true(param: &str) -> Value {
    json!({"fn": "booleanEquals", "argv": [reference(param), true]})
}

/// `true` when the region's partition has `attribute` (`supportsFIPS`, ...).
fn supports(attribute: &str) -> Value {
    json!({"fn": "booleanEquals", "argv": [
        {"fn": "getAttr", "argv": [reference(PARTITION), attribute]},
        true
    ]})
}

fn tree(conditions: Vec<Value>, rules: Vec<Value>) -> Value {
    json!({"conditions": conditions, "rules": rules, "type": "tree"})
}

fn error(conditions: Vec<Value>, message: &str) -> Value {
    json!({"conditions": conditions, "error": message, "type": "error"})
}

fn endpoint(url: &str) -> Value {
    json!({"conditions": [], "endpoint": {"url": url}, "type": "endpoint"})
}

/// When `enabled` holds: `endpoint` if the partition `supported` it, else the error.
fn feature(
    enabled: Vec<Value>,
    supported: Vec<Value>,
    endpoint: Value,
    unsupported: &str,
) -> Value {
    tree(
        enabled,
        vec![
            tree(supported, vec![endpoint]),
            error(Vec::new(), unsupported),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Expectations from the partition table
// ---------------------------------------------------------------------------------------------

/// One concrete region of a partition and the partition attributes that apply to it.
struct SampleRegion {
    id: String,
    region: String,
    dns_suffix: String,
    dual_stack_dns_suffix: String,
    supports_fips: bool,
    supports_dual_stack: bool,
}

impl SampleRegion {
    /// What the standard rule set answers for this region with the two flags.
    fn expectation(&self, prefix: &str, use_fips: bool, use_dual_stack: bool) -> Value {
        let url = |fips: &str, suffix: &str| json!({"endpoint": {"url": format!("https://{prefix}{fips}.{}.{suffix}", self.region)}});
        let refused = |message: &str| json!({"error": message});
        match (use_fips, use_dual_stack) {
            (true, true) if self.supports_fips && self.supports_dual_stack => {
                url("-fips", &self.dual_stack_dns_suffix)
            }
            (true, true) => refused(FIPS_AND_DUAL_STACK_UNSUPPORTED),
            (true, false) if self.supports_fips => url("-fips", &self.dns_suffix),
            (true, false) => refused(FIPS_UNSUPPORTED),
            (false, true) if self.supports_dual_stack => url("", &self.dual_stack_dns_suffix),
            (false, true) => refused(DUAL_STACK_UNSUPPORTED),
            (false, false) => url("", &self.dns_suffix),
        }
    }
}

/// One listed region of every partition that lists one: its `implicitGlobalRegion` when
/// listed (the partition's main region, `us-east-1` for `aws`), else the first listed.
/// Pseudo-regions such as `aws-global` are skipped: they name a partition-wide endpoint,
/// not a regional host.
fn sample_regions(partitions_json: &str) -> Result<Vec<SampleRegion>, EndpointError> {
    let bad = |message: String| EndpointError::Partitions(message);
    let root: Value =
        serde_json::from_str(partitions_json).map_err(|e| bad(format!("not JSON: {e}")))?;
    let partitions = root
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("missing `partitions` array".into()))?;
    let mut samples = Vec::new();
    for partition in partitions {
        let id = partition
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a partition without an `id`".into()))?;
        let outputs = partition
            .get("outputs")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(format!("partition `{id}` has no `outputs`")))?;
        let regions: Vec<(&str, Option<&Map<String, Value>>)> = match partition.get("regions") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(|name| (name, None))
                .collect(),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(name, overrides)| (name.as_str(), overrides.as_object()))
                .collect(),
            _ => Vec::new(),
        };
        let main_region = outputs.get("implicitGlobalRegion").and_then(Value::as_str);
        let concrete = || {
            regions
                .iter()
                .filter(|(name, _)| !name.ends_with("-global"))
        };
        let Some(&(region, overrides)) = concrete()
            .find(|(name, _)| Some(*name) == main_region)
            .or_else(|| concrete().next())
        else {
            continue;
        };
        let get = |key: &str| {
            overrides
                .and_then(|o| o.get(key))
                .or_else(|| outputs.get(key))
        };
        let text = |key: &str| {
            get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| bad(format!("partition `{id}`: `{key}` must be a string")))
        };
        let flag = |key: &str| {
            get(key)
                .and_then(Value::as_bool)
                .ok_or_else(|| bad(format!("partition `{id}`: `{key}` must be a boolean")))
        };
        samples.push(SampleRegion {
            id: id.to_owned(),
            region: region.to_owned(),
            dns_suffix: text("dnsSuffix")?,
            dual_stack_dns_suffix: text("dualStackDnsSuffix")?,
            supports_fips: flag("supportsFIPS")?,
            supports_dual_stack: flag("supportsDualStack")?,
        });
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{endpoint_module, endpoint_module_with_partitions};

    fn traits(prefix: &str, tests: Value) -> Map<String, Value> {
        let mut traits = Map::new();
        traits.insert(
            "smithy.rules#endpointRuleSet".into(),
            standard_rule_set(prefix),
        );
        traits.insert("smithy.rules#endpointTests".into(), tests);
        traits
    }

    fn cases(tests: &Value) -> &Vec<Value> {
        tests["testCases"].as_array().expect("testCases")
    }

    #[test]
    fn the_rule_set_and_its_tests_compile_with_the_prefix_in_every_url() {
        let tests = standard_endpoint_tests("data.example-svc").unwrap();
        let module = endpoint_module(&traits("data.example-svc", tests.clone()))
            .unwrap()
            .expect("a rule set");
        let params: Vec<_> = module
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.builtin.as_deref()))
            .collect();
        assert_eq!(
            params,
            [
                ("Region", Some("AWS::Region")),
                ("UseDualStack", Some("AWS::UseDualStack")),
                ("UseFIPS", Some("AWS::UseFIPS")),
                ("Endpoint", Some("SDK::Endpoint")),
            ]
        );
        assert_eq!(module.tests.len(), cases(&tests).len());
        let code = crate::endpoint::render(&module).unwrap();
        assert!(
            code.contains("\"https://data.example-svc-fips.{region}.{}\""),
            "{code}"
        );
    }

    #[test]
    fn every_partition_is_tested_in_four_variants_plus_the_custom_endpoint_cases() {
        let tests = standard_endpoint_tests("svc").unwrap();
        let table: Value = serde_json::from_str(crate::endpoint::PARTITIONS_JSON).unwrap();
        let partitions = table["partitions"].as_array().unwrap().len();
        assert!(partitions >= 5, "the table lists the AWS partitions");
        // 4 per partition, 4 with a custom endpoint URL, 1 without a region.
        assert_eq!(cases(&tests).len(), partitions * 4 + 5);
        let urls: Vec<&str> = cases(&tests)
            .iter()
            .filter_map(|c| c["expect"]["endpoint"]["url"].as_str())
            .collect();
        for expected in [
            "https://svc.us-east-1.amazonaws.com",
            "https://svc-fips.us-east-1.amazonaws.com",
            "https://svc.us-east-1.api.aws",
            "https://svc-fips.us-east-1.api.aws",
            "https://svc.cn-northwest-1.amazonaws.com.cn",
            "https://svc-fips.cn-northwest-1.api.amazonwebservices.com.cn",
            "https://svc-fips.us-gov-west-1.amazonaws.com",
            "https://svc.us-iso-east-1.c2s.ic.gov",
            "https://svc.us-isob-east-1.sc2s.sgov.gov",
        ] {
            assert!(
                urls.contains(&expected),
                "no case expects {expected}: {urls:?}"
            );
        }
        assert!(
            urls.iter().all(|u| !u.contains("-global")),
            "pseudo-regions are not sampled: {urls:?}"
        );
    }

    /// A partition table where one partition lacks FIPS and another lacks dual-stack, in the
    /// region-map layout with a per-region override.
    const LIMITED: &str = r#"{"partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
         "regions": {"aws-global": {}, "us-east-1": {"supportsDualStack": false}},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
        {"id": "aws-x", "regionRegex": "^x\\-\\w+\\-\\d+$", "regions": ["x-north-1"],
         "outputs": {"name": "aws-x", "dnsSuffix": "x.example", "dualStackDnsSuffix": "dual.x.example",
                     "supportsFIPS": false, "supportsDualStack": true, "implicitGlobalRegion": "x-north-1"}},
        {"id": "aws-empty", "regionRegex": "^e\\-\\w+\\-\\d+$",
         "outputs": {"name": "aws-empty", "dnsSuffix": "e.example", "dualStackDnsSuffix": "dual.e.example",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "e-west-1"}}
    ]}"#;

    #[test]
    fn unsupported_features_expect_the_rule_sets_errors() {
        let tests = standard_endpoint_tests_with_partitions("svc", LIMITED).unwrap();
        let expect = |region: &str, fips: bool, dual: bool| {
            cases(&tests)
                .iter()
                .find(|c| {
                    c["params"]["Region"] == region
                        && c["params"]["UseFIPS"] == fips
                        && c["params"]["UseDualStack"] == dual
                        && c["params"].get("Endpoint").is_none()
                })
                .map(|c| c["expect"].clone())
                .unwrap_or_else(|| panic!("no case for {region} {fips} {dual}"))
        };
        assert_eq!(
            expect("us-east-1", true, true)["error"],
            FIPS_AND_DUAL_STACK_UNSUPPORTED
        );
        assert_eq!(
            expect("us-east-1", false, true)["error"],
            DUAL_STACK_UNSUPPORTED
        );
        assert_eq!(
            expect("us-east-1", true, false)["endpoint"]["url"],
            "https://svc-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(expect("x-north-1", true, false)["error"], FIPS_UNSUPPORTED);
        assert_eq!(
            expect("x-north-1", false, true)["endpoint"]["url"],
            "https://svc.x-north-1.dual.x.example"
        );
        // A partition without a listed region has no sample: 2 partitions × 4 + 5.
        assert_eq!(cases(&tests).len(), 13);
        endpoint_module_with_partitions(&traits("svc", tests), LIMITED)
            .expect("the tests fit the rule set")
            .expect("a rule set");
    }

    #[test]
    fn a_broken_partition_table_is_named() {
        let err = standard_endpoint_tests_with_partitions("svc", "[]").unwrap_err();
        assert!(err.to_string().contains("`partitions`"), "{err}");
        let err = standard_endpoint_tests_with_partitions(
            "svc",
            r#"{"partitions": [{"id": "p", "regions": ["r-1"], "outputs": {"dnsSuffix": 1}}]}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("partition `p`: `dnsSuffix` must be a string"),
            "{err}"
        );
    }
}
