"""The rendered overlays: valid against their schemas, and holding to the
deployment policy (probes, limits, non-root, read-only root, Kafka ACLs,
TLS in prod, no secret values in the manifests)."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from inson_contracts.topics import AUDIT, CATALOGUE, DEAD_LETTERS

ROOT = Path(__file__).resolve().parents[2]
Resource = dict[str, Any]
Rendered = dict[str, list[Resource]]

OVERLAYS = ("dev", "prod")
TARGETS = ("base", "dev", "prod", "rebuild-job")
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "src").is_dir())
UID = 10001
NAMESPACE = "inson"


def of_kind(resources: list[Resource], kind: str) -> list[Resource]:
    return [r for r in resources if r["kind"] == kind]


def named(resources: list[Resource], kind: str, name: str) -> Resource:
    found = [r for r in of_kind(resources, kind) if r["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_specs(resources: list[Resource]) -> Iterator[tuple[str, dict[str, Any]]]:
    for r in resources:
        if r["kind"] in ("Deployment", "Job"):
            yield f"{r['kind']}/{r['metadata']['name']}", r["spec"]["template"]["spec"]


def service_of(resource: Resource) -> str:
    return str(resource["metadata"]["labels"]["app.kubernetes.io/name"])


# --------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_resource_is_valid_against_its_schema(
    target: str, rendered: Rendered, crds: Any, validate_tool: ModuleType
) -> None:
    findings = list(validate_tool.validate(rendered[target], crds))
    assert len(findings) == len(rendered[target])
    errors = [f"{f.resource} [{f.schema}]: {f.error}" for f in findings if f.error]
    assert not errors, "\n".join(errors)


def test_custom_resources_are_checked_against_every_operators_crd(
    rendered: Rendered, crds: Any, validate_tool: ModuleType
) -> None:
    sources = {f.schema for f in validate_tool.validate(rendered["prod"], crds)}
    for operator in ("strimzi", "keda", "prometheus-operator", "mongodb", "cert-manager"):
        assert f"CRD ({operator})" in sources
    # Strimzi's new API, not v1beta2.
    strimzi = [r for r in rendered["prod"] if r["apiVersion"].startswith("kafka.strimzi.io/")]
    assert {r["apiVersion"] for r in strimzi} == {"kafka.strimzi.io/v1"}


def test_keda_min_replicas_never_exceed_max(rendered: Rendered) -> None:
    # The CRD's CEL rule, which jsonschema does not evaluate.
    for target in TARGETS:
        for so in of_kind(rendered[target], "ScaledObject"):
            assert so["spec"]["minReplicaCount"] <= so["spec"]["maxReplicaCount"]


def test_namespaced_resources_are_in_the_inson_namespace(rendered: Rendered) -> None:
    for target in TARGETS:
        for r in rendered[target]:
            if r["kind"] != "Namespace":
                assert r["metadata"].get("namespace") == NAMESPACE, f"{target}: {r['kind']}"


# --------------------------------------------------------------------------- workloads


@pytest.mark.parametrize("target", list(TARGETS))
def test_pods_are_non_root_read_only_and_without_capabilities(
    target: str, rendered: Rendered
) -> None:
    specs = list(pod_specs(rendered[target]))
    assert specs
    for where, spec in specs:
        assert spec["automountServiceAccountToken"] is False, where
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == UID, where
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", where
        tmp = [v for v in spec["volumes"] if v["name"] == "tmp"]
        assert tmp and "emptyDir" in tmp[0], where
        for container in spec["containers"]:
            ctx = container["securityContext"]
            assert ctx["allowPrivilegeEscalation"] is False, where
            assert ctx["readOnlyRootFilesystem"] is True, where
            assert ctx["capabilities"]["drop"] == ["ALL"], where
            assert "add" not in ctx["capabilities"], where
            assert ctx.get("privileged") is not True, where
            assert ctx["seccompProfile"]["type"] == "RuntimeDefault", where
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/tmp") == "tmp", where  # noqa: S108 - the pod's emptyDir
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][kind]), where


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_deployments_probe_drain_and_read_their_configuration(
    target: str, rendered: Rendered
) -> None:
    deployments = of_kind(rendered[target], "Deployment")
    assert sorted(service_of(d) for d in deployments) == SERVICES
    for d in deployments:
        service = service_of(d)
        # KEDA owns the replica count: a fixed one would fight it on every apply.
        assert "replicas" not in d["spec"], service
        spec = d["spec"]["template"]["spec"]
        assert 30 <= spec["terminationGracePeriodSeconds"] <= 60
        (container,) = spec["containers"]
        assert container["command"] == [f"inson-{service}"] and container["args"] == ["serve"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert set(ports) == {"http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        sources = container["envFrom"]
        assert {"name": "inson-config"} in [s.get("configMapRef") for s in sources]
        assert {"name": f"inson-{service}-config"} in [s.get("configMapRef") for s in sources]
        assert any(s.get("secretRef", {}).get("name") == f"inson-{service}-env" for s in sources)
        env = {e["name"]: e for e in container["env"]}
        assert env["MONGODB_URL"]["valueFrom"]["secretKeyRef"]["name"] == f"inson-{service}-mongodb"
        assert spec["serviceAccountName"] == f"inson-{service}"
        account = named(rendered[target], "ServiceAccount", f"inson-{service}")
        assert account["automountServiceAccountToken"] is False


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_every_service_has_its_service_pdb_monitor_and_scaler(
    target: str, rendered: Rendered
) -> None:
    resources = rendered[target]
    assert not of_kind(resources, "HorizontalPodAutoscaler"), "KEDA makes the HPA"
    for d in of_kind(resources, "Deployment"):
        name = d["metadata"]["name"]
        pods = d["spec"]["template"]["metadata"]["labels"]
        port = d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"]

        def selects(selector: dict[str, str], labels: dict[str, str] = pods) -> bool:
            return selector.items() <= labels.items()

        svc = named(resources, "Service", name)
        assert selects(svc["spec"]["selector"])
        assert [(p["name"], p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [
            ("http", port, "http")
        ]
        pdb = named(resources, "PodDisruptionBudget", name)
        assert selects(pdb["spec"]["selector"]["matchLabels"])
        # maxUnavailable never blocks a drain of a single dev replica.
        assert pdb["spec"].get("maxUnavailable") == 1 and "minAvailable" not in pdb["spec"]
        monitor = named(resources, "ServiceMonitor", name)
        assert selects(monitor["spec"]["selector"]["matchLabels"], svc["metadata"]["labels"])
        assert [(e["port"], e["path"]) for e in monitor["spec"]["endpoints"]] == [
            ("http", "/metrics")
        ]
        scaler = named(resources, "ScaledObject", name)
        assert scaler["spec"]["scaleTargetRef"]["name"] == name
        service = service_of(d)
        for trigger in scaler["spec"]["triggers"]:
            if trigger["type"] == "kafka":
                assert trigger["metadata"]["consumerGroup"].startswith(f"{service}.")
                auth = trigger["authenticationRef"]["name"]
                named(resources, "TriggerAuthentication", auth)


def test_dev_runs_one_replica_of_each_service(rendered: Rendered) -> None:
    for so in of_kind(rendered["dev"], "ScaledObject"):
        assert so["spec"]["minReplicaCount"] == so["spec"]["maxReplicaCount"] == 1


def test_prod_runs_at_least_two_replicas_spread_over_nodes_and_zones(rendered: Rendered) -> None:
    for so in of_kind(rendered["prod"], "ScaledObject"):
        assert so["spec"]["minReplicaCount"] >= 2
    for d in of_kind(rendered["prod"], "Deployment"):
        spec = d["spec"]["template"]["spec"]
        labels = d["spec"]["selector"]["matchLabels"]
        anti = spec["affinity"]["podAntiAffinity"][
            "preferredDuringSchedulingIgnoredDuringExecution"
        ]
        assert anti[0]["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
        assert anti[0]["podAffinityTerm"]["labelSelector"]["matchLabels"] == labels
        keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
        for c in spec["topologySpreadConstraints"]:
            assert c["labelSelector"]["matchLabels"] == labels


@pytest.mark.parametrize("target", list(TARGETS))
def test_images_are_pinned(target: str, rendered: Rendered) -> None:
    images = {c["image"] for _, spec in pod_specs(rendered[target]) for c in spec["containers"]}
    assert images
    for image in images:
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest" and "/" not in tag, image
    if target != "rebuild-job":
        assert len(images) == 1, "the services run one image"


# --------------------------------------------------------------------------- Kafka


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_every_catalogue_topic_is_a_kafka_topic_with_its_partitions_and_retention(
    target: str, rendered: Rendered
) -> None:
    topics = {t["metadata"]["name"]: t for t in of_kind(rendered[target], "KafkaTopic")}
    assert set(topics) == {t.name for t in CATALOGUE}
    for topic in CATALOGUE:
        spec = topics[topic.name]["spec"]
        assert spec["partitions"] == topic.partitions
        assert spec["config"]["retention.ms"] == str(topic.retention_ms)
        assert spec["config"]["cleanup.policy"] == topic.cleanup_policy
        assert topics[topic.name]["metadata"]["labels"]["strimzi.io/cluster"] == "inson"


def test_kafka_runs_in_kraft_mode_with_node_pools(rendered: Rendered) -> None:
    for target in OVERLAYS:
        kafka = named(rendered[target], "Kafka", "inson")
        assert "zookeeper" not in kafka["spec"]
        pools = of_kind(rendered[target], "KafkaNodePool")
        roles = {role for p in pools for role in p["spec"]["roles"]}
        assert roles == {"controller", "broker"}
        for pool in pools:
            assert pool["metadata"]["labels"]["strimzi.io/cluster"] == "inson"
    prod_pools = {p["metadata"]["name"]: p for p in of_kind(rendered["prod"], "KafkaNodePool")}
    assert all(p["spec"]["replicas"] >= 3 for p in prod_pools.values())


def test_prod_kafka_takes_only_tls_with_scram_and_authorizes(rendered: Rendered) -> None:
    prod = rendered["prod"]
    kafka = named(prod, "Kafka", "inson")["spec"]["kafka"]
    assert kafka["authorization"]["type"] == "simple"
    ports = set()
    for listener in kafka["listeners"]:
        assert listener["tls"] is True, listener["name"]
        assert listener["authentication"]["type"] == "scram-sha-512", listener["name"]
        ports.add(listener["port"])
    config = named(prod, "ConfigMap", "inson-config")["data"]
    assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert config["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert int(config["KAFKA_BOOTSTRAP_SERVERS"].rpartition(":")[2]) in ports
    assert (config["KEDA_KAFKA_SASL"], config["KEDA_KAFKA_TLS"]) == ("scram_sha512", "enable")
    for topic in of_kind(prod, "KafkaTopic"):
        assert topic["spec"]["replicas"] == 3
        assert topic["spec"]["config"]["min.insync.replicas"] == "2"


def test_dev_kafka_listener_matches_the_services_settings(rendered: Rendered) -> None:
    kafka = named(rendered["dev"], "Kafka", "inson")["spec"]["kafka"]
    config = named(rendered["dev"], "ConfigMap", "inson-config")["data"]
    (listener,) = kafka["listeners"]
    assert config["KAFKA_SECURITY_PROTOCOL"] == "PLAINTEXT" and listener["tls"] is False
    assert config["KAFKA_BOOTSTRAP_SERVERS"].endswith(f":{listener['port']}")
    assert not of_kind(rendered["dev"], "KafkaUser"), "users without authorization are NotReady"


def _acls(user: Resource) -> list[tuple[str, str, str, str]]:
    return [
        (a["resource"]["type"], a["resource"].get("name", ""), a["resource"]["patternType"], op)
        for a in user["spec"]["authorization"]["acls"]
        for op in a["operations"]
        if a.get("type", "allow") == "allow"
    ]


def test_each_service_writes_only_its_own_topics(rendered: Rendered) -> None:
    prod = rendered["prod"]
    users = {u["metadata"]["name"]: u for u in of_kind(prod, "KafkaUser")}
    for service in SERVICES:
        user = users[service]
        assert user["spec"]["authentication"]["type"] == "scram-sha-512"
        acls = _acls(user)
        owned = {t.name for t in CATALOGUE if t.owner == service}
        written = {name for kind, name, pattern, op in acls if op == "Write"}
        assert all(k == "topic" and p == "literal" for k, _, p, op in acls if op == "Write")
        # Its own topics, the dead letters every consumer may write, and the access audit.
        assert owned <= written <= owned | {DEAD_LETTERS.name, AUDIT.name}, service
        for kind, name, pattern, op in acls:
            assert op in ("Read", "Write", "Describe"), (service, op)
            assert kind in ("topic", "group"), (service, kind)
            if kind == "group":
                assert (name, pattern) == (f"{service}.", "prefix")
        # It may read every topic its consumer groups read.
        readable = {name for kind, name, _, op in acls if kind == "topic" and op == "Read"}
        scaler = named(prod, "ScaledObject", f"inson-{service}")
        consumed = {
            t["metadata"]["topic"]
            for t in scaler["spec"]["triggers"]
            if t["type"] == "kafka" and "topic" in t["metadata"]
        }
        assert consumed <= readable, service


def test_partners_read_only_what_they_subscribed_to(rendered: Rendered) -> None:
    partners = yaml.safe_load((ROOT / "deploy/partners.yaml").read_text("utf-8"))["partners"]
    users = {u["metadata"]["name"]: u for u in of_kind(rendered["prod"], "KafkaUser")}
    for partner in partners:
        acls = _acls(users[f"partner-{partner['name']}"])
        assert {op for *_, op in acls} <= {"Read", "Describe"}
        topics = {name for kind, name, pattern, _ in acls if kind == "topic"}
        assert topics == set(partner["topics"])
        assert all(p == "literal" for kind, _, p, _ in acls if kind == "topic")
        assert {(n, p) for k, n, p, _ in acls if k == "group"} == {
            (f"{partner['name']}-", "prefix")
        }
    assert {n for n in users if n.startswith("partner-")} == {
        f"partner-{p['name']}" for p in partners
    }


def test_keda_logs_in_to_kafka_as_the_service_in_prod(rendered: Rendered) -> None:
    for service in SERVICES:
        auth = named(rendered["prod"], "TriggerAuthentication", f"inson-{service}-kafka")["spec"]
        params = {r["parameter"]: r for r in auth["configMapTargetRef"] + auth["secretTargetRef"]}
        assert {"sasl", "tls", "username", "password", "ca"} <= set(params)
        assert params["password"]["name"] == f"kafka-user-{service}"


# --------------------------------------------------------------------------- MongoDB


@pytest.mark.parametrize("target", ["base", "prod"])
def test_mongodb_is_a_three_member_replica_set_with_a_user_per_service(
    target: str, rendered: Rendered
) -> None:
    (mongo,) = of_kind(rendered[target], "MongoDBCommunity")
    spec = mongo["spec"]
    assert spec["type"] == "ReplicaSet" and spec["members"] == 3
    users = {u["name"]: u for u in spec["users"]}
    assert sorted(users) == SERVICES
    for service, user in users.items():
        # Its own database, and the key store every service seals and opens with.
        assert user["roles"] == [
            {"name": "readWrite", "db": f"inson_{service}"},
            {"name": "readWrite", "db": "inson_keys"},
        ]
        assert user["passwordSecretRef"]["name"] == f"inson-{service}-mongodb-password"
        deployment = named(rendered[target], "Deployment", f"inson-{service}")
        env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        url = env["MONGODB_URL"]["valueFrom"]["secretKeyRef"]
        assert url["name"] == user["connectionStringSecretName"]


def test_prod_mongodb_requires_tls_and_the_services_trust_its_ca(rendered: Rendered) -> None:
    prod = rendered["prod"]
    (mongo,) = of_kind(prod, "MongoDBCommunity")
    tls = mongo["spec"]["security"]["tls"]
    assert tls["enabled"] is True and tls["optional"] is False
    certificates = {c["spec"]["secretName"]: c for c in of_kind(prod, "Certificate")}
    assert tls["certificateKeySecretRef"]["name"] in certificates
    ca_file = mongo["spec"]["additionalConnectionStringConfig"]["tlsCAFile"]
    for _, spec in pod_specs(prod):
        volumes = {v["name"]: v for v in spec["volumes"]}
        (container,) = spec["containers"]
        mount = next(m for m in container["volumeMounts"] if ca_file.startswith(m["mountPath"]))
        assert volumes[mount["name"]]["secret"]["secretName"] in certificates


# --------------------------------------------------------------------------- secrets


SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE", re.IGNORECASE)


@pytest.mark.parametrize("target", list(TARGETS))
def test_no_secret_values_are_in_the_manifests(target: str, rendered: Rendered) -> None:
    for secret in of_kind(rendered[target], "Secret"):
        assert not secret.get("data") and not secret.get("stringData"), secret["metadata"]
    for config in of_kind(rendered[target], "ConfigMap"):
        for key in config.get("data", {}):
            assert not SECRETISH.search(key), f"{config['metadata']['name']}: {key}"
    for where, spec in pod_specs(rendered[target]):
        for container in spec["containers"]:
            for env in container.get("env", []):
                if SECRETISH.search(env["name"]):
                    assert "valueFrom" in env and "value" not in env, f"{where}: {env['name']}"


def _secret_references(resources: list[Resource]) -> set[str]:
    names: set[str] = set()
    for _, spec in pod_specs(resources):
        names |= {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
        for c in spec["containers"]:
            names |= {s["secretRef"]["name"] for s in c.get("envFrom", []) if "secretRef" in s}
            names |= {
                e["valueFrom"]["secretKeyRef"]["name"]
                for e in c.get("env", [])
                if "secretKeyRef" in e.get("valueFrom", {})
            }
    for auth in of_kind(resources, "TriggerAuthentication"):
        names |= {r["name"] for r in auth["spec"].get("secretTargetRef", [])}
    return names


def test_every_referenced_secret_has_a_maker(rendered: Rendered) -> None:
    """Each Secret a pod or KEDA reads is written by an operator from a resource
    in the overlay, or is one deploy/README.md tells the operator to create."""
    readme = (ROOT / "deploy/README.md").read_text("utf-8")
    prod = rendered["prod"]
    made = {"inson-cluster-ca-cert"}  # Strimzi, for the Kafka named inson
    made |= {f"kafka-user-{u['metadata']['name']}" for u in of_kind(prod, "KafkaUser")}
    made |= {c["spec"]["secretName"] for c in of_kind(prod, "Certificate")}
    for mongo in of_kind(prod, "MongoDBCommunity"):
        made |= {u["connectionStringSecretName"] for u in mongo["spec"]["users"]}
    referenced = _secret_references(prod) | _secret_references(rendered["rebuild-job"])
    assert referenced
    for name in referenced:
        generic = re.sub("|".join(SERVICES), "<service>", name)
        assert name in made or f"`{generic}`" in readme, name


# --------------------------------------------------------------------------- network


def _policies(rendered: Rendered, target: str) -> dict[str, dict[str, Any]]:
    return {p["metadata"]["name"]: p["spec"] for p in of_kind(rendered[target], "NetworkPolicy")}


@pytest.mark.parametrize("target", list(OVERLAYS))
def test_the_namespace_denies_by_default_and_allows_dns(target: str, rendered: Rendered) -> None:
    policies = _policies(rendered, target)
    deny = policies["default-deny"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    dns = policies["allow-dns"]
    (rule,) = dns["egress"]
    assert {(p["protocol"], p["port"]) for p in rule["ports"]} == {("UDP", 53), ("TCP", 53)}


def _allowed_egress(policies: dict[str, dict[str, Any]], labels: dict[str, str]) -> list[Any]:
    rules = []
    for spec in policies.values():
        selector = spec["podSelector"].get("matchLabels", {})
        if "Egress" in spec["policyTypes"] and selector.items() <= labels.items():
            rules += spec.get("egress", [])
    return rules


@pytest.mark.parametrize("target", list(OVERLAYS))
def test_services_reach_kafka_mongodb_and_only_notification_the_outside(
    target: str, rendered: Rendered
) -> None:
    policies = _policies(rendered, target)
    for d in of_kind(rendered[target], "Deployment"):
        labels = d["spec"]["template"]["metadata"]["labels"]
        rules = _allowed_egress(policies, labels)
        peers = [peer for rule in rules for peer in rule.get("to", [])]
        selectors = [p.get("podSelector", {}).get("matchLabels", {}) for p in peers]
        assert {"strimzi.io/cluster": "inson", "strimzi.io/kind": "Kafka"} in selectors
        assert {"app": "inson-mongodb-svc"} in selectors
        blocks = [p["ipBlock"] for p in peers if "ipBlock" in p]
        if service_of(d) != "notification":
            assert not blocks, service_of(d)
            continue
        public = [b for b in blocks if b["cidr"] == "0.0.0.0/0"]
        assert public, "notification cannot reach its gateways"
        for private in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"):
            assert private in public[0]["except"]
        for block in blocks:
            assert ipaddress.ip_network(block["cidr"]).prefixlen == 0
        outside = [rule for rule in rules if any("ipBlock" in p for p in rule.get("to", []))]
        assert {p["port"] for rule in outside for p in rule["ports"]} == {443, 587}


@pytest.mark.parametrize("target", list(OVERLAYS))
def test_http_is_open_to_the_ingress_controller_and_prometheus_only(
    target: str, rendered: Rendered
) -> None:
    policies = _policies(rendered, target)
    ingress = [
        (name, spec)
        for name, spec in policies.items()
        if "Ingress" in spec["policyTypes"] and spec.get("ingress")
    ]
    http = [
        spec
        for _, spec in ingress
        if spec["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component")
        == "service"
    ]
    (spec,) = http
    (rule,) = spec["ingress"]
    assert [p["port"] for p in rule["ports"]] == ["http"]
    namespaces = {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for peer in rule["from"]
    }
    assert namespaces == {"ingress-nginx", "monitoring"}


# --------------------------------------------------------------------------- the rest


def test_grafana_dashboard_ships_as_a_labelled_config_map(rendered: Rendered) -> None:
    for target in OVERLAYS:
        config = named(rendered[target], "ConfigMap", "inson-grafana-dashboard")
        assert config["metadata"]["labels"]["grafana_dashboard"] == "1"
        (body,) = config["data"].values()
        assert json.loads(body)["uid"] == "inson-services"


def test_rebuild_job_runs_the_service_cli_with_the_services_configuration(
    rendered: Rendered,
) -> None:
    (job,) = of_kind(rendered["rebuild-job"], "Job")
    service = service_of(job)
    spec = job["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    command = container["command"]
    assert command[:2] == [f"inson-{service}", "rebuild"] and len(command) == 3
    assert spec["restartPolicy"] == "Never"
    assert job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/part-of"] == "inson"
    # The same accounts, ConfigMaps and Secrets as the service's Deployment.
    deployment = named(rendered["prod"], "Deployment", f"inson-{service}")
    served = deployment["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == served["serviceAccountName"]
    assert container["envFrom"] == served["containers"][0]["envFrom"]
    for name in ("MONGODB_URL", "KAFKA_SASL_PASSWORD"):
        ours = next(e for e in container["env"] if e["name"] == name)
        theirs = next(e for e in served["containers"][0]["env"] if e["name"] == name)
        assert ours == theirs
