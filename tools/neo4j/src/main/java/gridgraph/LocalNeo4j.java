package gridgraph;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j 5 Community in-process, with Bolt on 127.0.0.1 and nothing else listening.
 *
 * <p>gridgraph's tests and a laptop deployment start this instead of a Neo4j server: no Docker, no
 * tarball, only jars from Maven Central. It prints one line, {@code gridgraph-neo4j ready
 * bolt://127.0.0.1:PORT}, once the default database answers a query (Bolt can accept connections
 * before the database is online), and stops cleanly (checkpoint, close) on SIGTERM or SIGINT.
 *
 * <p>Options (each also an environment variable): {@code --home DIR} (GRIDGRAPH_NEO4J_HOME, default
 * {@code data/neo4j}), {@code --port N} (GRIDGRAPH_NEO4J_PORT, default 7687; 0 picks a free port),
 * {@code --password P} (GRIDGRAPH_NEO4J_PASSWORD, default {@code gridgraph-local}; auth is on, user
 * {@code neo4j}), {@code --pagecache-mb N} (GRIDGRAPH_NEO4J_PAGECACHE_MB, default 512), {@code
 * --tx-memory-mb N} (GRIDGRAPH_NEO4J_TX_MEMORY_MB, default 1024). The heap is the JVM's: {@code
 * -Xmx} in JAVA_OPTS (the launcher script defaults to 2 GiB). {@code --stop-on-stdin-eof} stops
 * the server when its standard input closes: a parent process (the test suite) that dies, even by
 * SIGKILL, takes its server with it instead of leaving it running.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path home = Path.of(option(args, "--home", env.getOrDefault("GRIDGRAPH_NEO4J_HOME", "data/neo4j")));
        int port = Integer.parseInt(option(args, "--port", env.getOrDefault("GRIDGRAPH_NEO4J_PORT", "7687")));
        String password = option(args, "--password", env.getOrDefault("GRIDGRAPH_NEO4J_PASSWORD", "gridgraph-local"));
        long pagecache = Long.parseLong(option(args, "--pagecache-mb", env.getOrDefault("GRIDGRAPH_NEO4J_PAGECACHE_MB", "512")));
        long txMemory = Long.parseLong(option(args, "--tx-memory-mb", env.getOrDefault("GRIDGRAPH_NEO4J_TX_MEMORY_MB", "1024")));
        boolean stopOnEof = java.util.Arrays.asList(args).contains("--stop-on-stdin-eof");
        if (password.length() < 8) {
            fail("the Neo4j password needs at least 8 characters");
        }
        if (port == 0) {
            port = freePort();
        }
        Files.createDirectories(home);
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecache))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(txMemory))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("gridgraph-neo4j stopping");
            dbms.shutdown();
            System.out.println("gridgraph-neo4j stopped");
            stopped.countDown();
        }, "gridgraph-neo4j-shutdown"));

        if (stopOnEof) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // the parent writes nothing; only the end of the stream matters
                    }
                } catch (IOException gone) {
                    // a broken pipe means the same: the parent is gone
                }
                System.exit(0); // runs the shutdown hook: checkpoint and close
            }, "gridgraph-neo4j-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException refused) {
            // A home kept from an earlier start already has this password (Neo4j refuses to set
            // the same one again); anything else is a real failure, and must end the process
            // rather than leave the DBMS running without ever saying ready.
            String message = String.valueOf(refused.getMessage());
            if (!message.contains("cannot be the same")) {
                fail("setting the Neo4j password failed: " + message);
            }
        }
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        waitUntilAvailable(db);
        System.out.println("gridgraph-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static void waitUntilAvailable(GraphDatabaseService db) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                db.executeTransactionally("RETURN 1");
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) {
                    fail(name + " needs a value");
                }
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return fallback;
    }

    private static void fail(String message) {
        System.err.println("gridgraph-neo4j: " + message);
        System.exit(2);
    }
}
