import Foundation
import Notifications

enum TestMessages {
    static let at = Date(timeIntervalSince1970: 1_796_608_800) // 2026-12-07T02:00:00Z

    /// A notification whose text and title need escaping everywhere.
    static func tricky(id: String = "dlv-0001", priority: NotificationPriority = .high) -> NotificationMessage {
        NotificationMessage(id: id, at: at, vin: "VR3UHZKXZMT000001", vehicle: "Zoé's car", bundle: "ev-charging",
                            rule: "low-battery", title: "Battery <low> & \"cold\"",
                            text: "18 % < 20 % & plugged: <b>charge</b> 🚗\nline two", priority: priority)
    }

    static func plain(id: String = "dlv-0002") -> NotificationMessage {
        NotificationMessage(id: id, at: at, vin: "VR3UHZKXZMT000001", bundle: "ev-charging", rule: "low-battery",
                            text: "battery at 18 %")
    }
}
