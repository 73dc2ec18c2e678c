import Foundation
import Testing
import TilsynTestSupport

@testable import TilsynStore

/// `--db postgres://…` as `psql` reads it: the URL, the environment's defaults, the password file; and a connection
/// to a real server.
@Suite struct PostgresLocationTests {
    @Test func aFilePathIsSQLiteAndAURLIsPostgres() throws {
        #expect(try StoreLocation("tilsyn.sqlite", environment: [:]) == .sqlite(path: "tilsyn.sqlite"))
        #expect(try StoreLocation("/tmp/postgres://x", environment: [:]) == .sqlite(path: "/tmp/postgres://x"))
        guard case .postgres(let location) = try StoreLocation(
            "postgresql://analytiker@db.kk.dk:6432/tilsyn?sslmode=verify-full", environment: [:])
        else {
            Issue.record("not a PostgreSQL location")
            return
        }
        #expect(location.host == "db.kk.dk" && location.port == 6432 && location.user == "analytiker")
        #expect(location.database == "tilsyn" && location.tls == .verifyFull)
        #expect(location.description == "postgres://analytiker@db.kk.dk:6432/tilsyn")
    }

    @Test func missingPartsComeFromTheEnvironmentAsWithPsql() throws {
        let environment = ["PGHOST": "pg", "PGPORT": "5433", "PGUSER": "ana", "PGSSLMODE": "require", "USER": "root"]
        let location = try PostgresLocation(url: "postgres:///", environment: environment)
        #expect(
            [location.host, String(location.port), location.user, location.database] == ["pg", "5433", "ana", "ana"])
        #expect(location.tls == .require)
        let bare = try PostgresLocation(url: "postgres://", environment: ["USER": "kbh"])
        #expect([bare.host, String(bare.port), bare.user, bare.database] == ["localhost", "5432", "kbh", "kbh"])
        #expect(bare.tls == .prefer)
        let socket = try PostgresLocation(url: "postgres://ana@/tilsyn?host=/var/run/postgresql", environment: [:])
        #expect(socket.host == "/var/run/postgresql" && socket.database == "tilsyn")
    }

    /// A password in the URL is refused (a command line is visible to every user), and the message does not repeat
    /// it; so are unknown parameters and TLS modes.
    @Test(arguments: [
        ("postgres://ana:hemmelig@db/tilsyn", "PGPASSWORD"),
        ("postgres://ana@db/tilsyn?sslmode=sometimes", "sslmode"),
        ("postgres://ana@db/tilsyn?password=hemmelig", "password"),
        ("postgres://ana@db:70000/tilsyn", "port"),
    ])
    func badURLsAreRefusedClearly(url: String, mentions: String) throws {
        do {
            _ = try StoreLocation(url, environment: [:])
            Issue.record("accepted \(url)")
        } catch let error as StoreError {
            #expect(error.code == .invalidLocation)
            #expect(error.message.contains(mentions))
            #expect(!error.message.contains("hemmelig"))
        }
    }

    /// The password file as libpq reads it: the first matching line, `*` for any field, `\:` and `\\` escaped.
    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let file = """
            # comment
            other:5432:*:ana:wrong
            db.kk.dk:5432:tilsyn:*:first\\:part:rest
            *:*:*:ana:fallback
            """
        #expect(PostgresLocation.password(in: file, host: "db.kk.dk", port: 5432, database: "tilsyn", user: "ana")
            == "first:part:rest")
        #expect(PostgresLocation.password(in: file, host: "x", port: 1, database: "y", user: "ana") == "fallback")
        #expect(PostgresLocation.password(in: file, host: "x", port: 1, database: "y", user: "bo") == nil)
        #expect(
            PostgresLocation.password(in: "a\\\\b:*:*:*:pw", host: "a\\b", port: 1, database: "d", user: "u") == "pw")

        let directory = try TemporaryDirectory("pgpass")
        defer { directory.cleanUp() }
        let path = directory.path("pgpass")
        try "*:*:*:*:fra-filen\n".write(toFile: path, atomically: true, encoding: .utf8)
        let location = try PostgresLocation(url: "postgres://ana@db/tilsyn", environment: [:])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(location.password(environment: ["PGPASSFILE": path]) == "fra-filen")
        #expect(location.password(environment: ["PGPASSFILE": path, "PGPASSWORD": "env"]) == "env")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(location.password(environment: ["PGPASSFILE": path]) == nil, "others may read it: ignored, as libpq")
    }
}

extension PostgresLocationTests {
    /// `?` placeholders become `$1`, `$2`, …, `?N` becomes `$N`; quotes and comments are left alone.
    @Test func placeholdersAreNumberedForPostgreSQL() {
        #expect(PostgresRunner.numbered("SELECT ?, '?', \"?\", ? -- ?\n, ?") == "SELECT $1, '?', \"?\", $2 -- ?\n, $3")
        #expect(PostgresRunner.numbered("WHERE a = ?1 AND b = ?2 OR c = ?1") == "WHERE a = $1 AND b = $2 OR c = $1")
    }

    @Test func aScriptIsSplitAtItsSemicolonsOnly() {
        let script = "CREATE TABLE a (x text DEFAULT ';'); -- a; comment\nINSERT INTO a VALUES ('it''s;', \"b;\"); "
        #expect(PostgresSession.statements(script) == [
            "CREATE TABLE a (x text DEFAULT ';')", "INSERT INTO a VALUES ('it''s;', \"b;\")",
        ])
    }
}

@Suite(.needsPostgres) struct PostgresSessionTests {
    static func location() throws -> PostgresLocation {
        let url = try #require(TestPostgres.url())
        guard case .postgres(let location) = try StoreLocation(url) else { throw TestPostgresMissing() }
        return location
    }

    @Test func valuesComeBackAsTheyWereBound() throws {
        let session = try PostgresSession(try Self.location())
        defer { session.close() }
        let result = try session.query(
            "SELECT $1::int8, $2::text, $3::text, $4::float8, true, (SELECT sum(x) FROM (VALUES (1), (2)) v(x))",
            [.integer(Int64.max), .text("Høj grad ✓"), .null, .real(2.5)])
        #expect(
            result.rows == [[.integer(Int64.max), .text("Høj grad ✓"), .null, .real(2.5), .integer(1), .integer(3)]])
        try session.script("CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2)")
        #expect(try session.query("UPDATE t SET x = x + 1").changed == 2)
    }

    /// Failures name the server, what failed and how to fix it, never the password or a bound value.
    @Test func failuresSayWhatToFix() throws {
        let location = try Self.location()
        do {
            _ = try PostgresSession(location, environment: ["PGPASSWORD": "forkert-kodeord"])
            Issue.record("logged in with a wrong password")
        } catch let error as StoreError {
            #expect(error.code == .server && error.message.contains("PGPASSWORD"))
            #expect(!error.description.contains("forkert-kodeord"))
            #expect(error.description.contains(location.description))
        }
        var missing = location
        missing.database = "findes_ikke"
        do {
            _ = try PostgresSession(missing)
            Issue.record("connected to a database that does not exist")
        } catch let error as StoreError {
            #expect(error.message.contains("createdb"))
        }
        var closed = location
        closed.port = 1
        do {
            _ = try PostgresSession(closed)
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            #expect(error.message.contains("cannot be reached"))
        }
        let session = try PostgresSession(location)
        defer { session.close() }
        do {
            try session.query("SELECT 1 / $1::int", [.integer(0)])
            Issue.record("divided by zero")
        } catch let error as StoreError {
            #expect(error.message.contains("division by zero") && error.message.contains("22012"))
        }
    }
}
