import Foundation
import RuleEngine
import VehicleData
import Yams

/// Reads an inventory file (YAML or JSON, docs/dry-run.md "Inventory"):
/// `vehicles: [{vin, tags: [..], brand}]`. Every scalar is read as a string, so a
/// tag `on` or a VIN of digits stays what it says.
package enum ReplayInventory {
    package static func load(path: String) throws -> Inventory {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw InventoryError(path: path, message: "cannot read the inventory file")
        }
        return try parse(text, file: path)
    }

    package static func parse(_ text: String, file: String = "inventory") throws -> Inventory {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw InventoryError(path: file, message: "not YAML or JSON: \(error)")
        }
        guard let node else { throw InventoryError(path: file, message: "empty inventory") }
        do { return try Inventory(json: json(node)) } catch let e as InventoryError {
            throw InventoryError(path: "\(file): \(e.path)", message: e.message)
        }
    }

    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s): return s.string == "null" || s.string == "~" ? .null : .string(s.string)
        case .sequence(let seq): return .array(seq.map(json))
        case .mapping(let map):
            var o: [String: JSONValue] = [:]
            for (k, v) in map { o[k.string ?? "\(k)"] = json(v) }
            return .object(o)
        case .alias: return .null
        }
    }
}
