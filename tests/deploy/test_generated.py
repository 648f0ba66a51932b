"""The generated manifests are what the code says: topics from the catalogue,
consumer groups and ports from the composed services, the dashboard over the
metrics the runtime exports. No kustomize needed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from inson_contracts.topics import AUDIT, CATALOGUE, DEAD_LETTERS

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"


def test_committed_manifests_are_what_the_generator_writes() -> None:
    # A subprocess: composing the services configures logging process-wide.
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "tools" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_catalogue_topic_has_a_kafka_topic_with_its_settings() -> None:
    docs = list(yaml.safe_load_all((K8S / "base/kafka/topics.yaml").read_text("utf-8")))
    topics = {d["metadata"]["name"]: d for d in docs}
    assert set(topics) == {t.name for t in CATALOGUE}
    for topic in CATALOGUE:
        doc = topics[topic.name]
        assert doc["apiVersion"] == "kafka.strimzi.io/v1"
        assert doc["metadata"]["labels"]["strimzi.io/cluster"] == "inson"
        assert doc["spec"]["partitions"] == topic.partitions
        assert doc["spec"]["config"] == topic.config()
        assert doc["spec"]["config"]["retention.ms"] == str(topic.retention_ms)


def test_every_service_in_the_workspace_has_manifests_and_a_database_user() -> None:
    services = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "src").is_dir())
    generated = sorted(p.stem for p in (K8S / "base/services").glob("*.yaml"))
    assert [s for s in generated if s != "kustomization"] == services
    mongo = yaml.safe_load((K8S / "base/mongodb/mongodb.yaml").read_text("utf-8"))
    assert sorted(u["name"] for u in mongo["spec"]["users"]) == services


def test_rebuild_params_name_a_projection_of_the_service() -> None:
    listed = {
        tuple(line.split())
        for line in (K8S / "jobs/rebuild/projections.txt").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    }
    params = dict(
        line.split("=", 1)
        for line in (K8S / "jobs/rebuild/params.env").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert (params["SERVICE"], params["PROJECTION"]) in listed


def test_partners_subscribe_only_to_catalogue_event_topics() -> None:
    data = yaml.safe_load((ROOT / "deploy/partners.yaml").read_text("utf-8"))
    names = {t.name for t in CATALOGUE}
    assert data["partners"], "the example partner is gone"
    for partner in data["partners"]:
        assert set(partner["topics"]) <= names
        assert DEAD_LETTERS.name not in partner["topics"]
        assert AUDIT.name not in partner["topics"]


def _exported_metrics() -> set[str]:
    source = (ROOT / "runtime/src/inson_runtime/observability/metrics.py").read_text("utf-8")
    return set(re.findall(r'"(inson_[a-z_]+)"', source))


def test_dashboard_shows_every_metric_and_only_real_ones() -> None:
    dashboard = json.loads((K8S / "base/monitoring/dashboard.json").read_text("utf-8"))
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    used = {re.sub(r"_(bucket|sum|count)$", "", m) for m in re.findall(r"inson_[a-z_]+", exprs)}
    exported = _exported_metrics()
    assert exported, "no metric names found in metrics.py"
    assert used == exported
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
