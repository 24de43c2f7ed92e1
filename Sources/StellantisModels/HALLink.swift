/// A HAL link object (`Link` in the OpenAPI files): `href` plus optional hints.
public struct HALLink: Sendable, Hashable {
    public var href: String
    public var templated: Bool?
    public var type: String?
    public var name: String?
    public var title: String?

    public init(href: String, templated: Bool? = nil, type: String? = nil, name: String? = nil, title: String? = nil) {
        self.href = href
        self.templated = templated
        self.type = type
        self.name = name
        self.title = title
    }
}

extension HALLink: Codable {}

/// The `_links` object of a resource: relation name → link (`self`, `vehicle`, `next`…).
public typealias HALLinks = [String: HALLink]
