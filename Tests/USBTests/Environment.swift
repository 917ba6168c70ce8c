import Foundation

/// The umockdev tests need `LD_PRELOAD=libumockdev-preload` (run them under `umockdev-wrapper`). Locally they
/// are skipped without it; in CI (`CI` set) they run anyway and fail, so a missing umockdev never passes silently.
enum UMockdevEnvironment {
    static var active: Bool {
        // umockdev_in_mock_environment() answers only once a testbed exists; the preload is what matters here.
        ProcessInfo.processInfo.environment["LD_PRELOAD"]?.contains("libumockdev-preload") ?? false
    }
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }
    static var shouldRun: Bool { active || required }
    static let missing = "umockdev is not active: run `umockdev-wrapper swift test --filter USBTests` (apt: umockdev libumockdev-dev)"
}
