/// One line of `vigie doctor`: a check, its outcome and what it found.
public struct DoctorCheck: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case ok, warn, fail, skip
    }

    public var name: String
    public var status: Status
    public var detail: String

    public init(_ name: String, _ status: Status, _ detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    /// `ok    api             3 vehicles visible (41 ms)`: status and name padded, one line.
    public var line: String {
        let flat = detail.replacingOccurrences(of: "\n", with: " ")
        return status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            + name.padding(toLength: 14, withPad: " ", startingAt: 0) + flat
    }
}
