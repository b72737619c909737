package dev.heddle.console;

import dev.heddle.Command;
import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ListeningSocket;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.SocketSpec;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * {@code heddle demo}: a small system run through the local agent, as a first look at what Heddle
 * does. The restart loop here is deliberately simple; supervision with policies comes with scopes.
 */
final class Demo {
  private static volatile boolean stopping;

  private Demo() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    int port = 7070;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        try {
          port = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          err.println("heddle demo: --port needs a number, got '" + args[i] + "'");
          return 2;
        }
      } else {
        err.println("heddle demo: unknown option '" + args[i] + "'; usage: heddle demo [--port N]");
        return 2;
      }
    }
    Host host = Host.local();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  out.println("\nheddle demo: stopping every service");
                  host.close();
                  stopped.countDown();
                },
                "demo/shutdown"));
    ListeningSocket socket;
    try {
      socket = host.listen(SocketSpec.tcp("127.0.0.1", port));
    } catch (HeddleException e) {
      err.println("heddle demo: " + e.getMessage());
      return 1;
    }
    Path web = Files.createTempFile("heddle-demo-web", ".py");
    try (InputStream in =
        Objects.requireNonNull(Demo.class.getResourceAsStream("web.py"), "web.py resource")) {
      Files.copy(in, web, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    out.println("heddle demo: agent state and logs in " + host.stateDir());
    out.println("heddle demo: the web service listens on http://127.0.0.1:" + socket.port() + "/");
    out.println("  try:  curl http://127.0.0.1:" + socket.port() + "/");
    out.println("  then: kill -9 <the web pid below>  (it is restarted on the same socket)");
    out.println("  Ctrl-C stops everything.");
    List<ProcessSpec> specs =
        List.of(
            ProcessSpec.builder("web", Command.of("python3", "-u", web.toString()))
                .inherit(socket)
                .build(),
            ProcessSpec.builder(
                    "ticker",
                    Command.shell("i=0; while :; do i=$((i+1)); echo tick $i; sleep 2; done"))
                .stopGrace(Duration.ofSeconds(1))
                .build());
    for (ProcessSpec spec : specs) {
      Thread.ofVirtual()
          .name("demo/supervise/" + spec.service())
          .start(() -> keep(host, spec, out));
    }
    stopped.await();
    return 0;
  }

  /** Starts the service, prints its output, and starts it again when it exits. */
  private static void keep(Host host, ProcessSpec spec, PrintStream out) {
    while (true) {
      HostProcess p;
      try {
        p = host.spawn(spec);
      } catch (HeddleException e) {
        out.println("[" + spec.service() + "] cannot start: " + e.getMessage());
        return;
      }
      out.println("[" + p.processId() + "] started, pid " + p.pid());
      HostProcess.Following following =
          p.follow(LogStream.STDOUT, line -> out.println("[" + p.processId() + "] " + line));
      try {
        ExitStatus status = p.awaitExit();
        if (stopping) {
          out.println("[" + p.processId() + "] " + status);
          return;
        }
        out.println("[" + p.processId() + "] " + status + "; starting it again");
        Thread.sleep(200);
      } catch (InterruptedException | HeddleException e) {
        return;
      } finally {
        following.close();
      }
    }
  }
}
