import RuleLanguage
import VehicleData

/// The vehicles a deployment knows, with their tags: what `vehicles: [{tag: …}]`
/// selectors match against (docs/dry-run.md "Inventory").
///
/// File format (YAML or JSON; YAML is read by VigieKit and handed over as JSON):
/// ```yaml
/// vehicles:
///   - { vin: VR3UHZKXZMT000001, tags: [fleet-paris, ev], brand: Peugeot }
/// ```
public struct Inventory: Sendable, Hashable {
    public struct Vehicle: Sendable, Hashable {
        public var vin: String
        public var tags: [String]
        public var brand: String?
        /// What `{{vehicle.name}}` prints (else the VIN).
        public var name: String?
        public init(vin: String, tags: [String] = [], brand: String? = nil, name: String? = nil) {
            self.vin = vin
            self.tags = tags
            self.brand = brand
            self.name = name
        }
    }

    public var vehicles: [Vehicle]
    public init(vehicles: [Vehicle] = []) { self.vehicles = vehicles }

    public func vehicle(vin: String) -> Vehicle? { vehicles.first { $0.vin == vin } }

    /// Whether `bundle`'s `vehicles:` selection sees `vin` (tags from this inventory).
    public func selects(_ selection: VehicleSelection, vin: String) -> Bool {
        switch selection {
        case .all: return true
        case .selectors(let selectors):
            let tags = vehicle(vin: vin)?.tags ?? []
            return selectors.contains { selector in
                switch selector {
                case .vin(let v): return v == vin
                case .tag(let t): return tags.contains(t)
                }
            }
        }
    }
}

/// A problem in an inventory document, with where it is (`vehicles[2].tags`).
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension Inventory {
    /// Reads `{vehicles: [{vin, tags?, brand?, name?}]}`; unknown keys and duplicate VINs are errors.
    public init(json: JSONValue) throws {
        guard let root = json.objectValue else { throw InventoryError(path: "$", message: "expected an object with `vehicles`") }
        for key in root.keys where key != "vehicles" {
            throw InventoryError(path: key, message: "unknown key `\(key)` (expected `vehicles`)")
        }
        guard let list = root["vehicles"]?.arrayValue else {
            throw InventoryError(path: "vehicles", message: "expected a list of vehicles")
        }
        var seen = Set<String>()
        var out: [Vehicle] = []
        for (i, item) in list.enumerated() {
            let path = "vehicles[\(i)]"
            guard let o = item.objectValue else { throw InventoryError(path: path, message: "expected {vin, tags, brand}") }
            for key in o.keys where !["vin", "tags", "brand", "name"].contains(key) {
                throw InventoryError(path: "\(path).\(key)", message: "unknown key `\(key)` (expected vin, tags, brand, name)")
            }
            guard let vin = o["vin"]?.stringValue, !vin.isEmpty else {
                throw InventoryError(path: "\(path).vin", message: "missing or not a string")
            }
            guard seen.insert(vin).inserted else { throw InventoryError(path: "\(path).vin", message: "duplicate VIN \(vin)") }
            var tags: [String] = []
            if let t = o["tags"], !t.isNull {
                guard let arr = t.arrayValue, arr.allSatisfy({ $0.stringValue != nil }) else {
                    throw InventoryError(path: "\(path).tags", message: "expected a list of strings")
                }
                tags = arr.compactMap(\.stringValue)
            }
            let brand = o["brand"]?.stringValue
            out.append(Vehicle(vin: vin, tags: tags, brand: brand, name: o["name"]?.stringValue))
        }
        self.init(vehicles: out)
    }
}
