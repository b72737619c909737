package dev.heddle.maven;

import dev.heddle.Artifact;
import dev.heddle.HeddleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.AndDependencyFilter;
import org.eclipse.aether.util.filter.ScopeDependencyFilter;

/**
 * Maven coordinates as {@link Artifact}s for {@code Host.deploy}: {@code
 * host.deploy(MavenArtifacts.closure("org.xerial:sqlite-jdbc:3.50.3.0"))} puts the jar and its
 * runtime dependencies on the host. Resolved by Maven Resolver into the local repository ({@code
 * ~/.m2/repository} unless told otherwise) from Maven Central, or from the local repository alone
 * when offline. Each call resolves anew; the deploy itself skips what the host has.
 */
public final class MavenArtifacts {
  /** Maven Central, the one registry this resolves from unless given others. */
  public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

  private final Path localRepository;
  private final boolean offline;
  private final List<String> repositories;

  private MavenArtifacts(Path localRepository, boolean offline, List<String> repositories) {
    this.localRepository = localRepository;
    this.offline = offline;
    this.repositories = List.copyOf(repositories);
  }

  /** {@code ~/.m2/repository} and Maven Central, online. */
  public static MavenArtifacts defaults() {
    return new MavenArtifacts(
        Path.of(System.getProperty("user.home", "/root"), ".m2", "repository"),
        false,
        List.of(CENTRAL));
  }

  /** The same with another local repository. */
  public MavenArtifacts localRepository(Path dir) {
    return new MavenArtifacts(Objects.requireNonNull(dir), offline, repositories);
  }

  /** The same resolving from the local repository only (nothing is downloaded). */
  public MavenArtifacts offline(boolean noNetwork) {
    return new MavenArtifacts(localRepository, noNetwork, repositories);
  }

  /** The same resolving from these remote repositories (URLs), in order, instead. */
  public MavenArtifacts repositories(List<String> urls) {
    return new MavenArtifacts(localRepository, offline, urls);
  }

  /** {@link #defaults()}{@code .resolve(coordinates)}. */
  public static List<Artifact> closure(String coordinates) {
    return defaults().resolve(coordinates);
  }

  /**
   * The jar of {@code coordinates} ({@code groupId:artifactId[:extension[:classifier]]:version})
   * and its runtime closure (compile and runtime scopes, transitively, as Maven puts them on a
   * runtime classpath), in Maven's order, each named {@code artifactId-version[-classifier].ext}.
   *
   * @throws IllegalArgumentException when the coordinates are malformed
   * @throws HeddleException {@code MAVEN_RESOLVE} naming what could not be resolved and why
   */
  public List<Artifact> resolve(String coordinates) {
    DefaultArtifact root;
    try {
      root = new DefaultArtifact(coordinates);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Maven coordinates are groupId:artifactId[:extension[:classifier]]:version, got '"
              + coordinates
              + "'",
          e);
    }
    RepositorySystem system = new RepositorySystemSupplier().get();
    try (RepositorySystemSession.CloseableSession session =
        new SessionBuilderSupplier(system)
            .get()
            .withLocalRepositoryBaseDirectories(localRepository)
            .setOffline(offline)
            .build()) {
      List<RemoteRepository> remotes = new ArrayList<>();
      for (int i = 0; i < repositories.size(); i++) {
        remotes.add(
            new RemoteRepository.Builder(
                    i == 0 ? "central" : "repo" + i, "default", repositories.get(i))
                .build());
      }
      CollectRequest collect = new CollectRequest(new Dependency(root, "runtime"), remotes);
      DependencyRequest request =
          new DependencyRequest(
              collect,
              new AndDependencyFilter(
                  new ScopeDependencyFilter(List.of("compile", "runtime"), null),
                  MavenArtifacts::notOptional));
      List<Artifact> out = new ArrayList<>();
      for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
        org.eclipse.aether.artifact.Artifact a = Objects.requireNonNull(r.getArtifact());
        Path file = Objects.requireNonNull(a.getPath(), "a resolved artifact has a file");
        out.add(Artifact.file(file).named(name(a)));
      }
      return out;
    } catch (DependencyResolutionException e) {
      throw new HeddleException(
          "local",
          null,
          "MAVEN_RESOLVE",
          "Cannot resolve "
              + coordinates
              + " and its runtime dependencies "
              + (offline
                  ? "from the local repository " + localRepository + " alone (offline)"
                  : "from " + String.join(", ", repositories) + " into " + localRepository)
              + ": "
              + e.getMessage(),
          e);
    } finally {
      system.shutdown();
    }
  }

  /**
   * Maven leaves a dependency's optional dependencies (and what they bring) off its users'
   * classpaths; so does this.
   */
  private static boolean notOptional(DependencyNode node, List<DependencyNode> parents) {
    if (optional(node) && !parents.isEmpty()) {
      return false;
    }
    return parents.stream()
        .limit(Math.max(0, parents.size() - 1))
        .noneMatch(MavenArtifacts::optional);
  }

  private static boolean optional(DependencyNode node) {
    Dependency d = node.getDependency();
    return d != null && d.isOptional();
  }

  private static String name(org.eclipse.aether.artifact.Artifact a) {
    return a.getArtifactId()
        + "-"
        + a.getVersion()
        + (a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier())
        + "."
        + a.getExtension();
  }
}
