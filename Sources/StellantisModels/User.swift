/// The signed-in user (`User` of api-b2c.yaml, `GET /user`).
public struct User: Sendable, Hashable {
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var links: HALLinks
    /// `_embedded.Vehicles` (capital V, as the schema spells it).
    public var vehicles: [Vehicle]?

    public init(email: String? = nil, firstName: String? = nil, lastName: String? = nil, createdAt: String? = nil,
                updatedAt: String? = nil, links: HALLinks = [:], vehicles: [Vehicle]? = nil) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.links = links
        self.vehicles = vehicles
    }
}

extension User: Codable {
    enum CodingKeys: String, CodingKey {
        case email, firstName, lastName, createdAt, updatedAt, links = "_links", embedded = "_embedded"
    }
    struct Embedded: Codable {
        var vehicles: [Vehicle]?
        enum CodingKeys: String, CodingKey { case vehicles = "Vehicles" }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
        vehicles = try c.decodeIfPresent(Embedded.self, forKey: .embedded)?.vehicles
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encodeIfPresent(firstName, forKey: .firstName)
        try c.encodeIfPresent(lastName, forKey: .lastName)
        try c.encodeIfPresent(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try c.encode(links, forKey: .links)
        if let vehicles { try c.encode(Embedded(vehicles: vehicles), forKey: .embedded) }
    }
}
