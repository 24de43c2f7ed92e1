/// One line of `vigie doctor`: a check, its outcome and what it found.
package struct DoctorCheck: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable {
        case ok, warn, fail, skip
    }

    package var name: String
    package var status: Status
    package var detail: String

    package init(_ name: String, _ status: Status, _ detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    /// `ok    api             3 vehicles visible (41 ms)`: status and name padded, one line.
    package var line: String {
        let flat = detail.replacingOccurrences(of: "\n", with: " ")
        return status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            + name.padding(toLength: 14, withPad: " ", startingAt: 0) + flat
    }
}
