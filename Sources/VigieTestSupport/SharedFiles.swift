import Foundation

/// Locations tests need: the repository root, the `../shared` folder beside it (the
/// official OpenAPI files live there), and the built `vigie` binary.
package enum SharedFiles {
    /// The repository root (the folder holding Package.swift).
    package static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the checkout (CI lays it there too), or `$VIGIE_SHARED`.
    package static let sharedDirectory: URL = {
        if let env = ProcessInfo.processInfo.environment["VIGIE_SHARED"] {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    package static func apiFile(_ name: String) -> URL {
        sharedDirectory.appendingPathComponent("stellantis-api").appendingPathComponent(name)
    }

    package static func repoFile(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }
}
