import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local has no bind-address option: its {@code DynamoDBProxyServer} builds a Jetty {@code Server(port)},
 * whose connector listens on every interface, and it accepts any credentials, so anyone who can reach the machine
 * could read and write every table. This launcher builds the server exactly as DynamoDB Local's own {@code main}
 * does (same command-line arguments), sets the host of its Jetty connector to 127.0.0.1 before it starts, and
 * checks after the start that it listens on loopback and nowhere else. Anything unexpected (a DynamoDB Local whose
 * insides changed) stops the process before it listens, never after listening everywhere.
 *
 * <p>Unlike DynamoDB Local's {@code main}, it never sets up telemetry, so nothing is sent to AWS.
 *
 * <p>Compiled for Java 17 (runs on 17 and later) by {@code infra/local/java/build.sh}; the class file is committed
 * so that a JRE without a compiler runs it. Usage, from DynamoDB Local's folder:
 * {@code java -Djava.library.path=DynamoDBLocal_lib -cp <this folder>:DynamoDBLocal.jar LoopbackDynamoDbLocal -port 8000 -inMemory}
 *
 * <p>With {@value #EXIT_WITH_PARENT} first (the tests and the benchmarks), it exits when its standard input ends: the
 * process that started it holds the other end of that pipe, and the system closes it when that process dies,
 * however it dies (SIGKILL included), so no DynamoDB Local outlives what started it. The runtime ({@code npm start})
 * leaves it out: its DynamoDB Local outlives it on purpose and is adopted by its next start.
 */
public final class LoopbackDynamoDbLocal {
  private static final String HOST = "127.0.0.1";
  private static final String EXIT_WITH_PARENT = "-exitWithParent";

  private LoopbackDynamoDbLocal() {}

  public static void main(String[] given) {
    String[] args = given;
    if (args.length > 0 && EXIT_WITH_PARENT.equals(args[0])) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
      exitWhenInputEnds();
    }
    try {
      DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(args);
      Connector[] connectors = jettyOf(dynamo).getConnectors();
      if (connectors.length == 0) refuse("its Jetty server has no connector");
      for (Connector connector : connectors) {
        if (!(connector instanceof ServerConnector serverConnector)) {
          refuse("its Jetty connector is a " + connector.getClass().getName() + ", not a ServerConnector");
          return;
        }
        serverConnector.setHost(HOST);
      }
      // On a failed bind, DynamoDB Local prints "Could not start server on port …" and returns without throwing.
      dynamo.start();
      for (Connector connector : connectors) {
        SocketAddress bound = boundAddress((ServerConnector) connector);
        if (bound == null) {
          System.err.println("DynamoDB Local could not listen on " + HOST + " (see above)");
          System.exit(1);
        }
        if (!(bound instanceof InetSocketAddress inet) || !inet.getAddress().isLoopbackAddress()) {
          dynamo.stop();
          refuse("it listens on " + bound);
          return;
        }
        System.out.println("DynamoDB Local listens on " + HOST + ":" + inet.getPort() + " only (loopback)");
      }
    } catch (Exception e) {
      System.err.println("DynamoDB Local could not start on " + HOST + ": " + e);
      System.exit(1);
    }
  }

  /** The Jetty server inside DynamoDB Local's proxy server (a private field: DynamoDB Local offers no accessor). */
  private static Server jettyOf(DynamoDBProxyServer dynamo) throws ReflectiveOperationException {
    for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
      if (Server.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        return (Server) field.get(dynamo);
      }
    }
    throw new NoSuchFieldException("DynamoDBProxyServer has no Jetty Server field");
  }

  /** Where the connector listens; null when it is not open (DynamoDB Local reports a failed bind and goes on). */
  private static SocketAddress boundAddress(ServerConnector connector) throws IOException {
    Object transport = connector.getTransport();
    if (transport instanceof ServerSocketChannel channel && channel.isOpen()) return channel.getLocalAddress();
    return null;
  }

  /**
   * A daemon thread that reads standard input to its end (the parent closed its end of the pipe, or died) and then
   * stops the process. What it reads is ignored.
   */
  private static void exitWhenInputEnds() {
    Thread watcher =
        new Thread(
            () -> {
              InputStream in = System.in;
              byte[] buffer = new byte[256];
              try {
                while (in.read(buffer) >= 0) {
                  // nothing to do with what the parent writes
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone all the same
              }
              System.err.println("DynamoDB Local: the process that started it is gone; exiting");
              Runtime.getRuntime().halt(0);
            },
            "exit-with-parent");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void refuse(String why) {
    System.err.println("Not starting DynamoDB Local: " + why + "; it must listen on " + HOST + " only.");
    System.exit(2);
  }
}
