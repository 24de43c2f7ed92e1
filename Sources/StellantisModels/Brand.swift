/// The ex-PSA brands, with the `x-introspect-realm` header value and the brand domain
/// the developer portal lists for each (stellantis-api/README.md; Peugeot's realm is
/// spelled `OTPPeugeot` under `clientsB2CPeugot`, sic).
public enum Brand: String, Sendable, Hashable, CaseIterable, Codable {
    case peugeot, citroen, ds, opel, vauxhall

    public var realm: String {
        switch self {
        case .peugeot: return "clientsB2CPeugot/OTPPeugeot"
        case .citroen: return "clientsB2CCitroen/OTPCitroen"
        case .ds: return "clientsB2CDS/OTPDS"
        case .opel: return "clientsB2COpel/OTPOpel"
        case .vauxhall: return "clientsB2CVauxhall/OTPVauxhall"
        }
    }

    public var domain: String {
        switch self {
        case .peugeot: return "peugeot.com"
        case .citroen: return "citroen.com"
        case .ds: return "driveds.com"
        case .opel: return "opel.com"
        case .vauxhall: return "vauxhall.co.uk"
        }
    }

    /// The brand whose realm is `realm`, if any.
    public init?(realm: String) {
        guard let brand = Brand.allCases.first(where: { $0.realm == realm }) else { return nil }
        self = brand
    }
}
