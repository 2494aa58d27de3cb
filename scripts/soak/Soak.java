import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak test's load: N JDBC sessions through the gateway, each on a virtual thread, held for D
 * seconds, each running a mix of reads, masked reads, denied statements and prepared statements
 * with a think time between them, so that many sessions cost little CPU. Prints what it did.
 *
 * <p>Usage: java -cp postgresql.jar Soak.java PORT TOKEN SESSIONS SECONDS THINK_MS
 */
public final class Soak {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String token = args[1];
    int sessions = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    int thinkMs = Integer.parseInt(args[4]);
    LongAdder reads = new LongAdder();
    LongAdder masked = new LongAdder();
    LongAdder denied = new LongAdder();
    LongAdder prepared = new LongAdder();
    LongAdder errors = new LongAdder();
    LongAdder connectFailures = new LongAdder();
    Semaphore connecting = new Semaphore(16); // bounded login rate: SCRAM to the target costs CPU
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<?>> all = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < sessions; i++) {
        all.add(pool.submit(() -> {
          Connection c;
          connecting.acquireUninterruptibly();
          try {
            Properties p = new Properties();
            p.setProperty("user", "soak");
            p.setProperty("password", token);
            p.setProperty("sslmode", "disable");
            p.setProperty("connectTimeout", "30");
            p.setProperty("socketTimeout", "60");
            p.setProperty("prepareThreshold", "1");
            c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/bench", p);
          } catch (SQLException e) {
            connectFailures.increment();
            System.err.println("connect: " + e.getSQLState() + " " + e.getMessage());
            return null;
          } finally {
            connecting.release();
          }
          try (c; PreparedStatement ps = c.prepareStatement("SELECT amount FROM orders WHERE id = ?")) {
            while (System.nanoTime() < end) {
              Thread.sleep(ThreadLocalRandom.current().nextInt(thinkMs / 2, thinkMs * 3 / 2 + 1));
              int kind = ThreadLocalRandom.current().nextInt(4);
              try (Statement s = c.createStatement()) {
                switch (kind) {
                  case 0 -> { drain(s.executeQuery("SELECT id, amount, status FROM orders ORDER BY id LIMIT 5")); reads.increment(); }
                  case 1 -> { drain(s.executeQuery("SELECT name, email, ssn FROM customers")); masked.increment(); }
                  case 2 -> {
                    try {
                      s.executeUpdate("DELETE FROM orders WHERE id = -1");
                      errors.increment();
                      System.err.println("a DELETE as a reader was not denied");
                    } catch (SQLException e) {
                      if ("42501".equals(e.getSQLState())) {
                        denied.increment();
                      } else {
                        throw e;
                      }
                    }
                  }
                  default -> {
                    ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(3));
                    drain(ps.executeQuery());
                    prepared.increment();
                  }
                }
              } catch (SQLException e) {
                errors.increment();
                System.err.println("statement: " + e.getSQLState() + " " + e.getMessage());
              }
            }
          } catch (SQLException e) {
            errors.increment();
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    }
    System.out.printf("soak load: sessions=%d seconds=%d reads=%d masked=%d denied=%d prepared=%d errors=%d"
        + " connect_failures=%d%n", sessions, seconds, reads.sum(), masked.sum(), denied.sum(),
        prepared.sum(), errors.sum(), connectFailures.sum());
  }

  private static void drain(ResultSet rs) throws SQLException {
    try (rs) {
      while (rs.next()) {
        rs.getString(1);
      }
    }
  }
}
