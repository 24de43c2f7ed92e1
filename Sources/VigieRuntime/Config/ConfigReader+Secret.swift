import Foundation
import Yams

extension ConfigReader {
    /// A secret from `{file: PATH}` (its content, without the trailing line break) or
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
            guard let path = path(fileNode, "\(what).file") else { return nil }
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
}
