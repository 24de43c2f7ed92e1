import Foundation
import RuleLanguage
import Yams

/// Reads typed values out of a composed `vigie.yaml`, collecting every mistake with its
/// position (Yams marks: 1-based line and column) instead of stopping at the first.
/// Relative paths resolve against `folder`; secrets read `environment` and files.
struct ConfigReader {
    let file: String
    let folder: URL
    let environment: [String: String]
    private(set) var issues: [ConfigIssue] = []

    init(file: String, folder: URL, environment: [String: String]) {
        self.file = file
        self.folder = folder
        self.environment = environment
    }

    mutating func fail(_ node: Node?, _ message: String) {
        let mark = node?.mark
        issues.append(ConfigIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The pairs of a mapping whose keys are all in `allowed` (others are reported, with
    /// a did-you-mean); nil (reported) when `node` is not a mapping.
    mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(what) must be a mapping with keys \(allowed.joined(separator: ", "))")
            return nil
        }
        var out: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                fail(key, "\(what): keys must be plain names")
                continue
            }
            guard allowed.contains(name) else {
                var message = "unknown key `\(name)` in \(what)"
                if let near = ConfigReader.nearest(name, in: allowed) { message += "; did you mean `\(near)`?" }
                fail(key, message + " (expected \(allowed.joined(separator: ", ")))")
                continue
            }
            out[name] = value
        }
        return out
    }

    mutating func required(_ map: [String: Node], _ key: String, in what: String, at node: Node) -> Node? {
        if let value = map[key] { return value }
        fail(node, "\(what): missing `\(key)`")
        return nil
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            fail(node, "\(what) must be a string")
            return nil
        }
        guard !scalar.string.isEmpty else {
            fail(node, "\(what) must not be empty")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, _ what: String, min: Int = 0) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text) else {
            fail(node, "\(what) must be a whole number")
            return nil
        }
        guard value >= min else {
            fail(node, "\(what) must be at least \(min)")
            return nil
        }
        return value
    }

    /// YAML 1.2 core-schema booleans only (`on`/`yes` are not booleans, as in rule files).
    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        switch node.scalar?.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            fail(node, "\(what) must be true or false")
            return nil
        }
    }

    /// A duration: `30s`, `5m`, `2h`, `1d`, or a whole number of seconds; must be > 0.
    mutating func duration(_ node: Node, _ what: String) -> Double? {
        guard let text = node.scalar?.string, let seconds = ConfigReader.seconds(text), seconds > 0 else {
            fail(node, "\(what) must be a positive duration such as 30s, 5m, 2h or 1d")
            return nil
        }
        return seconds
    }

    static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let whole = Int(trimmed) { return Double(whole) }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = trimmed.last, let factor = units[unit] else { return nil }
        let number = trimmed.dropLast().trimmingCharacters(in: .whitespaces)
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * factor
    }

    mutating func url(_ node: Node, _ what: String) -> URL? {
        guard let text = string(node, what) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else {
            fail(node, "\(what) must be an http:// or https:// URL, not `\(text)`")
            return nil
        }
        return url
    }

    /// A path, made absolute against the configuration file's folder.
    mutating func path(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        return resolve(text)
    }

    func resolve(_ path: String) -> String {
        let expanded = path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return folder.appendingPathComponent(expanded).standardizedFileURL.path
    }

    /// A list of strings, or a single string taken as a list of one.
    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        if node.scalar != nil { return string(node, what).map { [$0] } }
        guard case .sequence(let items) = node else {
            fail(node, "\(what) must be a list of strings")
            return nil
        }
        var out: [String] = []
        for item in items {
            if let s = string(item, "each item of \(what)") { out.append(s) }
        }
        return out
    }

    /// The closest name within edit distance 2, or a third of the name (`Suggestion`).
    static func nearest(_ name: String, in candidates: [String]) -> String? {
        Suggestion.nearest(to: name, in: candidates, maxDistance: max(2, name.count / 3))
    }
}
