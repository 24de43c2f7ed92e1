/// A vehicle as the API describes it (`Vehicle` of api-b2c.yaml; also `Vehicle` and
/// `VehicleItem` of api-b2b.yaml, which differ only in their links).
public struct Vehicle: Sendable, Hashable {
    public enum Motorization: String, Sendable, Hashable, CaseIterable {
        case electric = "Electric", hybrid = "Hybrid", thermic = "Thermic", hydrogen = "Hydrogen"
    }

    /// `_embedded.extension`: data asked for with the `extension` query parameter.
    public struct Extension: Sendable, Hashable {
        public struct Branding: Sendable, Hashable, Codable {
            public var brand: String?
            public var label: String?
            public init(brand: String? = nil, label: String? = nil) { self.brand = brand; self.label = label }
        }
        public var onboardCapabilities: JSONValue?
        public var branding: Branding?
        public var pictures: [String]?
        public init(onboardCapabilities: JSONValue? = nil, branding: Branding? = nil, pictures: [String]? = nil) {
            self.onboardCapabilities = onboardCapabilities
            self.branding = branding
            self.pictures = pictures
        }
    }

    public var id: String
    public var vin: String?
    public var motorization: OpenEnum<Motorization>?
    public var brand: String?
    public var label: String?
    public var pictures: [String]?
    public var createdAt: String?
    public var updatedAt: String?
    public var links: HALLinks
    public var extensionData: Extension?

    public init(id: String, vin: String? = nil, motorization: OpenEnum<Motorization>? = nil, brand: String? = nil,
                label: String? = nil, pictures: [String]? = nil, createdAt: String? = nil, updatedAt: String? = nil,
                links: HALLinks = [:], extensionData: Extension? = nil) {
        self.id = id
        self.vin = vin
        self.motorization = motorization
        self.brand = brand
        self.label = label
        self.pictures = pictures
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.links = links
        self.extensionData = extensionData
    }
}

extension Vehicle: HALCollectionItem {
    public static var collectionKey: String { "vehicles" }
}

extension Vehicle.Extension: Codable {}

extension Vehicle: Codable {
    enum CodingKeys: String, CodingKey {
        case id, vin, motorization, brand, label, pictures, createdAt, updatedAt, links = "_links", embedded = "_embedded"
    }
    struct Embedded: Codable { var `extension`: Extension? }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        vin = try c.decodeIfPresent(String.self, forKey: .vin)
        motorization = try c.decodeIfPresent(OpenEnum<Motorization>.self, forKey: .motorization)
        brand = try c.decodeIfPresent(String.self, forKey: .brand)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        pictures = try c.decodeIfPresent([String].self, forKey: .pictures)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
        extensionData = try c.decodeIfPresent(Embedded.self, forKey: .embedded)?.extension
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(vin, forKey: .vin)
        try c.encodeIfPresent(motorization, forKey: .motorization)
        try c.encodeIfPresent(brand, forKey: .brand)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(pictures, forKey: .pictures)
        try c.encodeIfPresent(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try c.encode(links, forKey: .links)
        if let extensionData { try c.encode(Embedded(extension: extensionData), forKey: .embedded) }
    }
}
