import Foundation
import HTTPTypes
import Hummingbird

/// JSON in and out of handlers: bodies are read up to a limit, and anything malformed is one 4xx.
enum JSON {
    static let maxBodyBytes = 64 * 1024

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw WebError.internalError("cannot encode response: \(error)") }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch {
            throw WebError.payloadTooLarge("request body is larger than \(maxBodyBytes) bytes")
        }
        guard buffer.readableBytes > 0 else { throw WebError.badRequest("request body is empty; expected JSON") }
        return try decode(T.self, data: Data(buffer.readableBytesView))
    }

    /// Like `decode`, but an empty body is nil (for POSTs whose every field is optional).
    static func decodeOptional<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        if let length = request.headers[.contentLength], length == "0" { return nil }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBodyBytes) } catch {
            throw WebError.payloadTooLarge("request body is larger than \(maxBodyBytes) bytes")
        }
        guard buffer.readableBytes > 0 else { return nil }
        return try decode(T.self, data: Data(buffer.readableBytesView))
    }

    /// Every request body is decoded here. A key named twice in one object is refused: JSONDecoder would keep
    /// one of the two values silently.
    static func decode<T: Decodable>(_ type: T.Type, data: Data) throws -> T {
        let value = try decodeAllowingDuplicates(T.self, data: data)
        if let duplicate = DuplicateKeys.first(in: Array(data)) {
            let place = duplicate.path.isEmpty ? "" : " (in '\(duplicate.path)')"
            throw WebError.badRequest("duplicate key '\(duplicate.key)'\(place) in the request body: name each field once")
        }
        return value
    }

    private static func decodeAllowingDuplicates<T: Decodable>(_ type: T.Type, data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw WebError.badRequest("missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw WebError.badRequest("wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.dataCorrupted(context) {
            if let overflow = overflowingInteger(in: data) { throw WebError.badRequest(overflow) }
            throw WebError.badRequest("invalid value: \(context.debugDescription)")
        } catch {
            throw WebError.badRequest("body is not valid JSON for this request")
        }
    }

    /// Foundation's decoder calls a number beyond 64 bits "not valid JSON" without naming it; this finds the
    /// field such a number was given for, so the refusal names it as every other bad amount's does.
    static func overflowingInteger(in data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        for match in text.matches(of: /"((?:[^"\\]|\\.)*)"\s*:\s*(-?[0-9]+)(?![0-9.eE])/) where Int64(match.2) == nil {
            return "\(match.1) \(match.2) is beyond a 64-bit whole number (amounts and quantities are at most 10^15)"
        }
        return nil
    }
}
