import Foundation

/// The PostgreSQL store could not be reached or prepared.
package enum CommandStoreError: Error, CustomStringConvertible {
    case unreachable(String, String)

    package var description: String {
        switch self {
        case .unreachable(let name, let why): return "\(name): \(why)"
        }
    }
}
