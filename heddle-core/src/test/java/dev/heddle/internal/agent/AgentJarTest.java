package dev.heddle.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/** The jar uploaded to remote hosts: stable bytes for the same classes, and runnable. */
class AgentJarTest {

  @Test
  void theSameClassesGiveTheSameHash() {
    AgentJar a = AgentJar.current();
    AgentJar b = AgentJar.current();
    assertEquals(a.sha256(), b.sha256());
    assertEquals(64, a.sha256().length());
    assertTrue(a.size() > 10_000, "too small for the agent: " + a.size());
  }

  @Test
  void holdsTheAgentMainClassAndNamesIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgentJar.current().writeTo(out);
    try (JarInputStream jar =
        new JarInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
      assertEquals(
          AgentJar.MAIN_CLASS, jar.getManifest().getMainAttributes().getValue("Main-Class"));
      boolean found = false;
      for (var e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
        found |= e.getName().equals("dev/heddle/agent/AgentMain.class");
      }
      assertTrue(found, "no AgentMain.class in the jar");
    }
  }

  @Test
  void aClassDirectoryGivesAReproducibleJar() throws Exception {
    Path classes = Path.of(AgentLauncher.agentClasspath());
    if (!Files.isDirectory(classes)) {
      classes = classes.resolveSibling("classes"); // target/heddle-agent-….jar → target/classes
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(classes), "no class dir");
    String old = System.getProperty("heddle.agent.classpath");
    System.setProperty("heddle.agent.classpath", classes.toString());
    try {
      AgentJar a = AgentJar.current();
      Files.setLastModifiedTime(
          classes.resolve("dev/heddle/agent/AgentMain.class"),
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      AgentJar b = AgentJar.current();
      assertEquals(a.sha256(), b.sha256(), "file times changed the jar");
    } finally {
      if (old == null) {
        System.clearProperty("heddle.agent.classpath");
      } else {
        System.setProperty("heddle.agent.classpath", old);
      }
    }
  }
}
