import Foundation
import Testing

/// Firmware toolchains are stricter than SwiftPM's defaults: the reference codec must stay warning-free as plain
/// C99, hosted and freestanding (a bare-metal Cortex-M4 target, where no libc headers but <string.h>'s two
/// functions exist).
@Suite struct StrictC99Tests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("firmware-protocol")
    static let flags = ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Wconversion", "-Wshadow", "-Werror", "-fsyntax-only"]

    /// Runs clang (shipped with the Swift toolchain) and returns its exit status and diagnostics.
    private func clang(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["clang"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func hostedBuildIsWarningFree() throws {
        let (status, text) = try clang(Self.flags + ["-I", Self.folder.path + "/include", Self.folder.path + "/src/mwp.c"])
        #expect(status == 0, "\(text)")
    }

    @Test func freestandingCortexM4BuildIsWarningFree() throws {
        let stub = FileManager.default.temporaryDirectory.appendingPathComponent("mwp-c99-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stub, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: stub) }
        // Only what mwp.c may use from libc.
        try """
            #include <stddef.h>
            void *memcpy(void *, const void *, size_t);
            void *memset(void *, int, size_t);
            """.write(to: stub.appendingPathComponent("string.h"), atomically: true, encoding: .utf8)
        let (status, text) = try clang(
            Self.flags + ["--target=thumbv7em-none-eabi", "-mcpu=cortex-m4", "-ffreestanding", "-isystem", stub.path,
                          "-I", Self.folder.path + "/include", Self.folder.path + "/src/mwp.c"])
        #expect(status == 0, "\(text)")
    }
}
