/// Why a plan or an apply stopped. Descriptions never hold a secret.
package enum DeployError: Error, Sendable, CustomStringConvertible {
    /// The rule files have errors (the diagnostics, rendered as `vigie validate` does).
    case rules(String)
    /// A rule path is missing or unreadable.
    case input(String)
    /// The inventory names a vehicle the API does not list.
    case unknownVehicle(String)
    /// The API refused or failed a call (`doing` says which).
    case api(doing: String, error: String)

    package var description: String {
        switch self {
        case .rules(let text): return text.hasSuffix("\n") ? String(text.dropLast()) : text
        case .input(let text): return text
        case .unknownVehicle(let vin):
            return "vehicle \(vin) of the inventory is not among the vehicles the API lists for this account or fleet"
        case .api(let doing, let error): return "\(doing): \(error)"
        }
    }
}
