import Foundation
import Yams

extension ConfigReader {
    /// A secret from `{file: PATH}` (its content, `${NAME}` in PATH replaced by that
    /// environment variable, e.g. systemd's `${CREDENTIALS_DIRECTORY}`; docs/production.md)
    /// (its content, without the trailing line break) or
    /// `{env: NAME}`. An inline value is refused: it would end up in version control.
    /// Messages name the source, never the value.
    mutating func secret(_ node: Node, _ what: String) -> Secret? {
        if node.scalar != nil {
            fail(node, "\(what) must not be written inline: use {file: PATH} or {env: NAME}")
            return nil
        }
        guard let map = mapping(node, what, allowed: ["file", "env"]) else { return nil }
        guard map.count == 1 else {
            fail(node, "\(what) takes exactly one of `file` or `env`")
            return nil
        }
        if let fileNode = map["file"] {
            guard let raw = string(fileNode, "\(what).file"),
                  let expanded = expandVariables(raw, fileNode, "\(what).file") else { return nil }
            let path = resolve(expanded)
            guard let data = FileManager.default.contents(atPath: path) else {
                fail(fileNode, "\(what): cannot read the file \(path)")
                return nil
            }
            var text = String(decoding: data, as: UTF8.self)
            while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
            guard !text.isEmpty else {
                fail(fileNode, "\(what): the file \(path) is empty")
                return nil
            }
            return Secret(text, source: .file(path))
        }
        guard let envNode = map["env"], let name = string(envNode, "\(what).env") else { return nil }
        guard let value = environment[name], !value.isEmpty else {
            fail(envNode, "\(what): the environment variable \(name) is not set or empty")
            return nil
        }
        return Secret(value, source: .environment(name))
    }

    /// `${NAME}` replaced by the environment variable NAME (`$` alone stays as it is).
    /// An unset or empty variable, or an unclosed `${`, is reported at `node`.
    mutating func expandVariables(_ text: String, _ node: Node, _ what: String) -> String? {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                fail(node, "\(what): `${` without its closing `}`")
                return nil
            }
            let name = String(rest[start.upperBound ..< end])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                fail(node, "\(what): `${\(name)}` is not an environment variable name")
                return nil
            }
            guard let value = environment[name], !value.isEmpty else {
                var message = "\(what): the environment variable \(name) is not set or empty"
                if name == "CREDENTIALS_DIRECTORY" { message += " (systemd sets it for a unit with LoadCredential=)" }
                fail(node, message)
                return nil
            }
            out += value
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
