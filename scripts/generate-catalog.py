#!/usr/bin/env python3
"""Generate Vigie's data catalog from the official Stellantis B2C OpenAPI file.

Reads api-b2c.yaml and writes:
  Sources/VehicleData/CatalogTable.generated.swift  (Catalog.fields, Catalog.monitorPaths)
  docs/fields.md                                    (the field reference)

Every fact taken from the API — enum members, whether a number is an integer, the 29
`DataTrigger.data` paths and the ops each accepts — is read from the file, never typed
here. What this script declares is only the rule language's side: the aliases (fixed by
SEMANTICS.md, in a stable order: FieldIDs are indexes), where each field lives in the
`Status` schema, its dimension, and a one-line summary. The script fails loudly when the
file no longer has what a field points at.

Usage: scripts/generate-catalog.py [API_YAML] [--check]
  API_YAML defaults to ../shared/stellantis-api/api-b2c.yaml relative to the repo root.
  --check writes nothing and exits 1 when the committed files differ from what would be
  generated (CI's drift check; Tests/VehicleDataTests runs it too).
"""

import os
import re
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_API = os.path.join(os.path.dirname(REPO), "shared", "stellantis-api", "api-b2c.yaml")
SWIFT_OUT = "Sources/VehicleData/CatalogTable.generated.swift"
DOCS_OUT = "docs/fields.md"
OPS = ["equalsTo", "greaterThan", "lowerThan", "includedIn", "onChange"]
UNITS = {"percent": "%", "distance": "km", "speed": "km/h", "temperature": "°C",
         "duration": "s", "power": "kW", "scalar": ""}

# kind: number | bool | enum | enumSet | point.
# schema: where the API describes the value, rooted at a components/schemas name
#   (`Status.` paths prove the status payload really carries it); `[]` steps into items.
# monitor_ops: the ops the compiler may use on a field whose value is derived from the
#   monitor path's (only `onChange`: the path's values are not the field's).
# derived: the value is computed from the schema node rather than copied (so its
#   schema type is not the field's type); `needs` lists enum members the derivation uses.
FIELDS = [
    dict(alias="battery.level", kind="number", unit="percent", schema="Status.energies[].level",
         status="energies[type=Electric].level", monitor="vehicle.energy.electric.level",
         summary="Traction battery state of charge"),
    dict(alias="battery.autonomy", kind="number", unit="distance", schema="Status.energies[].autonomy",
         status="energies[type=Electric].autonomy", monitor="vehicle.energy.electric.autonomy",
         summary="Electric range"),
    dict(alias="fuel.level", kind="number", unit="percent", schema="Status.energies[].level",
         status="energies[type=Fuel].level", monitor="vehicle.energy.fuel.level",
         summary="Fuel tank level"),
    dict(alias="fuel.autonomy", kind="number", unit="distance", schema="Status.energies[].autonomy",
         status="energies[type=Fuel].autonomy", monitor="vehicle.energy.fuel.autonomy",
         summary="Fuel range"),
    dict(alias="autonomy", kind="number", unit="distance", schema="Status.energies[].autonomy",
         status="sum of energies[].autonomy", monitor="vehicle.autonomy",
         summary="Global range, all energies"),
    dict(alias="charging.plugged", kind="bool", schema="Status.energies[].extension.electric.charging.plugged",
         status="energies[type=Electric].charging.plugged (else .extension.electric.charging.plugged)",
         monitor="vehicle.energy.charging.plugged", summary="Charging cable plugged in"),
    dict(alias="charging.status", kind="enum", schema="Status.energies[].extension.electric.charging.status",
         status="energies[type=Electric].charging.status (else .extension.electric.charging.status)",
         monitor="vehicle.energy.charging.status", summary="Charging status"),
    dict(alias="speed", kind="number", unit="speed", schema="Status.kinetic.speed",
         status="kinetic.speed", monitor="vehicle.kinetic.speed", summary="Vehicle speed"),
    dict(alias="moving", kind="bool", schema="Status.kinetic.moving",
         status="kinetic.moving", monitor="vehicle.kinetic.moving", summary="Vehicle moving"),
    dict(alias="odometer", kind="number", unit="distance", schema="Status.odometer.mileage",
         status="odometer.mileage", monitor="vehicle.odometer", summary="Odometer"),
    dict(alias="outside.temperature", kind="number", unit="temperature", schema="Status.environment.air.temp",
         status="environment.air.temp", monitor="environment.air.temp", summary="Outside air temperature"),
    dict(alias="ignition", kind="enum", schema="Status.ignition.type",
         status="ignition.type", summary="Ignition state"),
    dict(alias="preconditioning.status", kind="enum", schema="Status.preconditioning.airConditioning.status",
         status="preconditioning.airConditioning.status (else preconditionning.…)",
         monitor="vehicle.preconditioning.airConditioning", monitor_ops=["onChange"],
         summary="Air-conditioning preconditioning status"),
    dict(alias="privacy", kind="enum", schema="Status.privacy.state",
         status="privacy.state", monitor="privacy.state", summary="Privacy mode"),
    dict(alias="alarm.active", kind="bool", schema="Status.alarm.status.activation", derived=True,
         needs=["Active"], status="alarm.status.activation == Active",
         monitor="vehicle.alarm.status.activation", monitor_ops=["onChange"], summary="Alarm armed"),
    dict(alias="doors.locked", kind="bool", schema="Status.doorsState.lockedStates[]", derived=True,
         needs=["Locked", "SuperLocked"], status="doorsState.lockedStates",
         monitor="vehicle.doorsState.lockedState", monitor_ops=["onChange"],
         summary="Locked: Locked or SuperLocked and no state ending in Unlocked"),
    dict(alias="position", kind="point", schema="Status.lastPosition.geometry.coordinates", derived=True,
         status="lastPosition.geometry.coordinates", summary="Last known position ([lon, lat, alt?])"),
    # Appended after the 17 fields of SEMANTICS.md; never reorder.
    dict(alias="charging.mode", kind="enum", schema="Status.energies[].extension.electric.charging.chargingMode",
         status="energies[type=Electric].charging.chargingMode", summary="Charging mode (No = not charging)"),
    dict(alias="charging.rate", kind="number", unit="speed",
         schema="Status.energies[].extension.electric.charging.chargingRate",
         status="energies[type=Electric].charging.chargingRate", summary="Charging speed, range gained per hour"),
    dict(alias="charging.remaining_time", kind="number", unit="duration", derived=True,
         schema="Status.energies[].extension.electric.charging.remainingTime",
         status="energies[type=Electric].charging.remainingTime (ISO 8601 duration)",
         summary="Time until the battery is full"),
    dict(alias="charging.type", kind="enum", schema="Status.energies[].extension.electric.charging.type",
         status="energies[type=Electric].charging.type", monitor="vehicle.energy.charging.type",
         summary="Charging type (Partial stops before full)"),
    dict(alias="charging.power_level", kind="enum",
         schema="Status.energies[].extension.electric.charging.chargingPowerLevel",
         status="energies[type=Electric].charging.chargingPowerLevel", summary="Charging power level"),
    dict(alias="doors.open", kind="bool", schema="Status.doorsState.opening[].state", derived=True,
         needs=["Open"], status="doorsState.opening[].state", summary="Any opening (door, trunk, window) open"),
    dict(alias="powertrain.status", kind="enum", schema="Status.powertrain.status",
         status="powertrain.status", monitor="vehicle.powertrain.status", summary="Powertrain status"),
    dict(alias="alarm.trigger", kind="enum", schema="Status.alarm.trigger.type",
         status="alarm.trigger.type", monitor="vehicle.alarm.trigger.type", summary="Latest alarm trigger"),
    dict(alias="alerts", kind="enumSet", schema="Alert.type",
         status="alerts[].type (active alerts)", monitor="vehicle.alert", summary="Active alerts"),
    dict(alias="oil.temperature", kind="number", unit="temperature",
         schema="Status.engines[].extension.thermic.oil.temp",
         status="engines[type=Thermic].extension.thermic.oil.temp", monitor="vehicle.engines.thermic.oil.temp",
         summary="Engine oil temperature"),
    dict(alias="driving.mode", kind="enum", schema="Status.drivingBehavior.mode",
         status="drivingBehavior.mode", monitor="vehicle.drivingBehavior.mode", summary="Driving mode"),
    # Issue 19: battery health. The schema dates `health` itself (EnergyBattery).
    dict(alias="battery.health", kind="number", unit="percent",
         schema="Status.energies[].extension.electric.battery.health.capacity",
         status="energies[type=Electric].battery.health.capacity (else .extension.electric.battery.…)",
         summary="Traction battery state of health (capacity)"),
    dict(alias="battery.health.resistance", kind="number", unit="percent",
         schema="Status.energies[].extension.electric.battery.health.resistance",
         status="energies[type=Electric].battery.health.resistance (else .extension.electric.battery.…)",
         summary="Traction battery state of health (internal resistance)"),
    # `Battery.voltage` is described as "Auxiliary battery (12V) state of health in %":
    # the alias says what the value is, the source says where it is.
    dict(alias="aux_battery.health", kind="number", unit="percent", schema="Status.battery.voltage",
         status="battery.voltage", summary="12 V battery state of health (the API names it voltage)"),
]


DOCS_DECODING = """
## How status payloads are read

`StatusDecoder` turns a `GET .../status` payload into an observation; `vigie dry-run`
and `vigie test` use it for `status:` lines, the server for polled statuses.

- Energy entries come from `energies` (the schema) or, when that is missing, null or
  empty, from `energy` (real payloads: an array, or a single object). The first entry
  of `type` `Electric` gives `battery.*` and `charging.*`, the first `Fuel` entry
  `fuel.*` (types compared case-insensitively); `autonomy` is the sum of the
  autonomies present in all entries.
- Charging values are read key by key from the electric entry's `charging`, else from
  its `extension.electric.charging`. `charging.remaining_time` is the ISO 8601
  `remainingTime` in seconds (`PT1H30M` = 5400; years and months are refused).
- `preconditioning.status` is read from `preconditioning`, else `preconditionning`.
- `doors.locked` is true when `lockedStates` holds `Locked` or `SuperLocked` and no
  state ending in `Unlocked` (case-insensitively: the API also writes `TrunkUnLocked`);
  an empty list reads as false. `doors.open` is true when any `opening[].state` is
  `Open`.
- `alarm.active` is `alarm.status.activation == Active`.
- `battery.health` and `battery.health.resistance` are the electric entry's
  `battery.health.capacity` and `.resistance` (%), read key by key from its `battery`
  (real payloads), else its `extension.electric.battery` (the schema). Their data time
  is `health`'s own `updatedAt`/`createdAt` (the schema dates it), else the entry's.
- `aux_battery.health` is `battery.voltage` (dated by `battery`): the schema names it
  voltage but describes it as the 12 V battery's state of health in %. A value
  outside 0–100 (a real voltage, `12.4`, would read as 12.4 %) is kept as sent.
- The schema has no charging power in kW: `charging.power_level` (`Level1`…`Level5`)
  is what it gives.
- `position` is `lastPosition.geometry.coordinates`, GeoJSON `[lon, lat, altitude?]`.
- `alerts` is the set of `type`s of the payload's `alerts` entries not marked
  `active: false` (entries may also be plain names).
- `oil.temperature` comes from the first thermic engine's `extension.thermic.oil.temp`,
  else its deprecated `oil.temp`; `powertrain.status` falls back to the deprecated
  `engines[].gmpStatus`.
- A field that is missing or `null` is absent from the observation: the vehicle keeps
  its previous value. A value outside the enum is kept (it equals no member) and
  reported once as a warning; a value of the wrong type (a string where a number is
  expected, `"12978,9"`) is ignored with a warning. Extra fields are ignored.

## Monitor notifications

A monitor event's `values` (`[{data, value}]`) update the field watched through each
`data` path (table above). The three derived ones map back as the status does:
`vehicle.alarm.status.activation` gives `alarm.active` (`Active`/`Inactive`);
`vehicle.doorsState.lockedState` gives `doors.locked` from a state or a list of states
(`Locked`, `["Locked", "TrunkUnLocked"]`); `vehicle.preconditioning.airConditioning`
gives `preconditioning.status` from the status (`Enabled`) or an object with `status`.
Values may be strings (`"18"`, `"true"`, `"18,5"`), JSON numbers or booleans, the
webhook schema's `{type: string, body: {literalValue: "18"}}`, or a one-item array.
`vehicle.alert` carries only the alerts that matched the trigger, so it does not
replace `alerts`; paths no field maps onto update nothing.
"""


class StrictLoader(yaml.SafeLoader):
    """YAML 1.2 core booleans only: `No` in `enum: [No, Slow, Quick]` stays a string."""


StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


class Schemas:
    def __init__(self, doc):
        self.doc = doc
        self.schemas = doc["components"]["schemas"]

    def deref(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = self.schemas[name]
            seen += 1
            if seen > 50:
                raise SystemExit("reference cycle at " + name)
        return node

    def branches(self, node):
        """The node and every allOf branch below it, dereferenced."""
        node = self.deref(node)
        out = [node]
        for sub in node.get("allOf", []) if isinstance(node, dict) else []:
            out.extend(self.branches(sub))
        return out

    def child(self, node, name):
        for b in self.branches(node):
            props = b.get("properties") if isinstance(b, dict) else None
            if isinstance(props, dict) and name in props:
                return props[name]
        return None

    def items(self, node):
        for b in self.branches(node):
            if isinstance(b, dict) and "items" in b:
                return b["items"]
        return None

    def resolve(self, pointer):
        root, *parts = pointer.split(".")
        node = self.schemas[root]
        for part in parts:
            name, arrays = part.rstrip("[]"), part.count("[]")
            nxt = self.child(node, name)
            if nxt is None:
                raise SystemExit(f"{pointer}: no property {name!r}")
            node = nxt
            for _ in range(arrays):
                node = self.items(node)
                if node is None:
                    raise SystemExit(f"{pointer}: {name} is not an array")
        return node

    def attr(self, node, key):
        for b in self.branches(node):
            if isinstance(b, dict) and key in b:
                return b[key]
        return None


def monitor_table(api: Schemas):
    """The 29 DataTrigger.data paths: [(path, apiType, [ops])] in the schema's enum order."""
    data = api.schemas["DataTrigger"]["properties"]["data"]
    rows = {}
    for line in data["description"].splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 3 or cells[0].startswith("**") or set(cells[0]) <= set("-: "):
            continue
        path = cells[0].split()[0]
        ops = []
        for op in cells[2].split("/"):
            op = re.sub(r"\(.*?\)", "", op).strip()
            if op not in OPS:
                raise SystemExit(f"DataTrigger table: unknown op {op!r} for {path}")
            ops.append(op)
        rows[path] = (cells[1], sorted(set(ops), key=OPS.index))
    enum = [str(e) for e in data["enum"]]
    if sorted(enum) != sorted(rows):
        raise SystemExit(f"DataTrigger: table and enum differ: {sorted(set(enum) ^ set(rows))}")
    if len(enum) != 29:
        raise SystemExit(f"DataTrigger: expected 29 paths, found {len(enum)}")
    return [(p, rows[p][0], rows[p][1]) for p in enum]


def build_fields(api: Schemas, monitors):
    by_path = {p: (t, ops) for p, t, ops in monitors}
    out = []
    for f in FIELDS:
        node = api.resolve(f["schema"])
        stype = api.attr(node, "type")
        members = [str(m) for m in api.attr(node, "enum") or []]
        for need in f.get("needs", []):
            if need not in members:
                raise SystemExit(f"{f['alias']}: {f['schema']} lacks member {need}")
        if f["kind"] in ("enum", "enumSet") and not members:
            raise SystemExit(f"{f['alias']}: {f['schema']} has no enum")
        if not f.get("derived"):
            want = {"number": ("number", "integer"), "bool": ("boolean",), "enum": ("string",),
                    "enumSet": ("string",)}[f["kind"]]
            if stype not in want:
                raise SystemExit(f"{f['alias']}: {f['schema']} has type {stype}, expected {want}")
        monitor = None
        if "monitor" in f:
            if f["monitor"] not in by_path:
                raise SystemExit(f"{f['alias']}: {f['monitor']} is not a DataTrigger path")
            api_type, ops = by_path[f["monitor"]]
            if "monitor_ops" in f:
                missing = [o for o in f["monitor_ops"] if o not in ops]
                if missing:
                    raise SystemExit(f"{f['alias']}: {f['monitor']} does not accept {missing}")
                ops = [o for o in ops if o in f["monitor_ops"]]
            monitor = (f["monitor"], api_type, ops)
            integral = api_type == "Integer"
        else:
            integral = stype == "integer" and f["kind"] == "number"
        out.append(dict(f, members=members, integral=integral, monitor=monitor))
    return out


def swift_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def swift_list(items, indent):
    if len(items) <= 6:
        return "[" + ", ".join(swift_string(i) for i in items) + "]"
    pad = " " * indent
    return "[\n" + "".join(f"{pad}    {swift_string(i)},\n" for i in items) + pad + "]"


def swift_type(f):
    if f["kind"] == "number":
        return f".number(.{f['unit']})"
    if f["kind"] == "bool":
        return ".bool"
    if f["kind"] == "point":
        return ".point"
    case = "enumeration" if f["kind"] == "enum" else "enumSet"
    return f".{case}({swift_list(f['members'], 12)})"


def swift_support(path, api_type, ops):
    op_list = ", ".join("." + o for o in ops)
    return f"MonitorSupport(path: {swift_string(path)}, ops: [{op_list}], apiType: {swift_string(api_type)})"


def render_swift(fields, monitors):
    lines = ["enum CatalogTable {",
             "    static let fields: [Field] = [", ]
    for i, f in enumerate(fields):
        monitor = swift_support(*f["monitor"]) if f["monitor"] else "nil"
        lines += [
            "        Field(",
            f"            id: FieldID({i}), alias: {swift_string(f['alias'])},",
            f"            statusPath: {swift_string(f['status'])},",
            f"            type: {swift_type(f)},",
            f"            isIntegral: {'true' if f['integral'] else 'false'},",
            f"            monitor: {monitor},",
            f"            summary: {swift_string(f['summary'])}",
            "        ),",
        ]
    lines += ["    ]", "", "    static let monitorPaths: [MonitorSupport] = ["]
    lines += [f"        {swift_support(*m)}," for m in monitors]
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def type_text(f):
    kind = f["kind"]
    if kind == "number":
        unit = UNITS[f["unit"]]
        base = "integer" if f["integral"] else "number"
        return f"{base} {unit}".strip()
    return {"bool": "bool", "point": "point", "enum": "enum", "enumSet": "set of enum"}[kind]


def render_docs(fields, monitors, version):
    out = [
        "# Fields a rule can read",
        "",
        "<!-- Generated by scripts/generate-catalog.py from api-b2c.yaml; do not edit. -->",
        "",
        f"Generated from the official B2C OpenAPI file (version {version}). The aliases of",
        "SEMANTICS.md are fixed; types, enum members, integer-ness and monitor ops come from",
        "the API file. *Monitor* is the `DataTrigger.data` path a server-side monitor can",
        "watch the field with, and the ops the API accepts for it; a field without one is",
        "checked by the engine on fresh observations (polling or a wider prefilter).",
        "`doors.locked`, `alarm.active` and `preconditioning.status` are derived from their",
        "path's value (`lockedState`, `Active`/`Inactive`, the air-conditioning object), so",
        "the compiler watches them with `onChange` only.",
        "A value outside a field's enum is kept and equals no member; `null` or a missing",
        "value leaves the previous value in place.",
        "",
        "| alias | type | status payload source | monitor | ops |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in fields:
        m = f["monitor"]
        mon = f"`{m[0]}`" if m else "—"
        ops = ", ".join(m[2]) if m else "—"
        out.append(f"| `{f['alias']}` | {type_text(f)} | `{f['status']}` | {mon} | {ops} |")
    out += ["", "## Enum members", ""]
    for f in fields:
        if f["kind"] in ("enum", "enumSet"):
            out.append(f"- `{f['alias']}`: " + ", ".join(f"`{m}`" for m in f["members"]))
    out += ["", "## Monitor data paths", "",
            f"All {len(monitors)} `DataTrigger.data` paths of the API, with the ops it accepts",
            "(from the table in the schema's description) and the field that maps onto each.",
            "", "| data path | API type | ops | field |", "| --- | --- | --- | --- |"]
    by_monitor = {f["monitor"][0]: f["alias"] for f in fields if f["monitor"]}
    for path, api_type, ops in monitors:
        field = f"`{by_monitor[path]}`" if path in by_monitor else "—"
        out.append(f"| `{path}` | {api_type} | {', '.join(ops)} | {field} |")
    return "\n".join(out) + "\n" + DOCS_DECODING


def generate(api_path):
    with open(api_path, "rb") as fh:
        raw = fh.read()
    doc = yaml.load(raw.decode("utf-8"), Loader=StrictLoader)
    api = Schemas(doc)
    monitors = monitor_table(api)
    fields = build_fields(api, monitors)
    body = render_swift(fields, monitors)
    docs = render_docs(fields, monitors, doc["info"]["version"])
    with open(os.path.abspath(__file__), "rb") as fh:
        script = fh.read()
    header = (
        "// GENERATED by scripts/generate-catalog.py from api-b2c.yaml "
        f"(version {doc['info']['version']}). Do not edit: re-run the script.\n"
        f"// fnv1a64 input={fnv1a64(raw)} script={fnv1a64(script)} "
        f"body={fnv1a64(body.encode())} docs={fnv1a64(docs.encode())}\n"
    )
    return {SWIFT_OUT: header + body, DOCS_OUT: docs}


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    api_path = args[0] if args else DEFAULT_API
    outputs = generate(api_path)
    stale = []
    for rel, text in outputs.items():
        path = os.path.join(REPO, rel)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        stale.append(rel)
        if not check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
    if check and stale:
        print("out of date (run scripts/generate-catalog.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    for rel in stale:
        print("wrote " + rel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
