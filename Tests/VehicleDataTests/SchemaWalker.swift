import VigieTestSupport

/// Walks the api-b2c.yaml schemas the way a reader does: `$ref`s followed, `allOf`
/// branches merged, `[]` stepping into array items. Independent of the generator script,
/// so the catalog tests check the generated table against the file, not against itself.
struct SchemaWalker {
    let document: OpenAPIDocument

    static func b2c() throws -> SchemaWalker {
        SchemaWalker(document: try OpenAPIDocument.official("api-b2c.yaml"))
    }

    func deref(_ node: OpenAPIValue) -> OpenAPIValue {
        var node = node
        var hops = 0
        while let ref = node["$ref"]?.stringValue, let target = document.resolve(ref: ref), hops < 50 {
            node = target
            hops += 1
        }
        return node
    }

    /// The node and all its `allOf` branches, dereferenced.
    func branches(_ node: OpenAPIValue) -> [OpenAPIValue] {
        let node = deref(node)
        return [node] + (node["allOf"]?.arrayValue ?? []).flatMap { branches($0) }
    }

    func attribute(_ node: OpenAPIValue, _ key: String) -> OpenAPIValue? {
        branches(node).lazy.compactMap { $0[key] }.first
    }

    /// `Status.energies[].extension.electric.charging.status` → that schema node.
    func resolve(_ pointer: String) -> OpenAPIValue? {
        var parts = pointer.split(separator: ".").map(String.init)
        guard !parts.isEmpty, var node = document.schema(named: parts.removeFirst()) else { return nil }
        for part in parts {
            let name = part.replacingOccurrences(of: "[]", with: "")
            guard let next = branches(node).lazy.compactMap({ $0["properties"]?[name] }).first else { return nil }
            node = next
            for _ in 0..<(part.components(separatedBy: "[]").count - 1) {
                guard let items = attribute(node, "items") else { return nil }
                node = items
            }
        }
        return node
    }

    func enumMembers(_ pointer: String) -> [String]? {
        guard let node = resolve(pointer), let members = attribute(node, "enum")?.arrayValue else { return nil }
        return members.map { $0.stringValue ?? "\($0)" }
    }

    /// The `DataTrigger.data` table: path → (type column, op names), and the `enum` list.
    func dataTriggerTable() -> (rows: [String: (type: String, ops: Set<String>)], enumPaths: [String]) {
        let data = document.schema(named: "DataTrigger")?["properties"]?["data"]
        var rows: [String: (String, Set<String>)] = [:]
        for line in (data?["description"]?.stringValue ?? "").split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else { continue }
            let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false)
                .dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, !cells[0].hasPrefix("**"), !cells[0].allSatisfy({ "-: ".contains($0) }) else {
                continue
            }
            let path = String(cells[0].split(separator: " ")[0])
            let ops = cells[2].split(separator: "/").map { op -> String in
                let noNote = op.replacingOccurrences(of: #"\(.*\)"#, with: "", options: .regularExpression)
                return noNote.trimmingCharacters(in: .whitespaces)
            }
            rows[path] = (cells[1], Set(ops))
        }
        let paths = data?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return (rows, paths)
    }
}

import Foundation
