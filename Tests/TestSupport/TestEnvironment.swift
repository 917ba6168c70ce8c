import Foundation

/// What every test that runs a separate program needs to find, found one way.
public enum TestEnvironment {
    /// The package root, from this file's path, so tests run from any working directory.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The Python the test peers (h5py, jsonschema, …) are installed for: `MOSQUITO_TEST_PYTHON` when the
    /// Makefile sets it, else the checkout's `.venv` that `make test` creates, else Debian's interpreter.
    public static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["MOSQUITO_TEST_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = packageRoot + "/.venv/bin/python3"
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return "/usr/bin/python3"
    }()

    /// The `mosquito` executable `swift build --build-tests` puts beside the test bundle.
    public static let mosquito: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("mosquito")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: packageRoot).appendingPathComponent(".build/debug/mosquito")
    }()
}
