package dev.heddle.examples.iot.wire;

import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT client (Eclipse Paho) that outlives broker restarts: it connects (retrying until the
 * broker answers), reconnects on its own (at most 1 s apart), and after every (re)connection
 * subscribes again and calls {@code onConnected}. Messages are handed to {@code onMessage} on
 * Paho's callback thread: callers queue them and do the work elsewhere (a QoS 1 publish from that
 * thread could wait on itself).
 */
public final class Mqtt implements AutoCloseable {
  private final MqttClient client;

  private Mqtt(MqttClient client) {
    this.client = client;
  }

  /**
   * Connects as {@code clientId}, subscribed at QoS 1 to {@code topics}; blocks until connected.
   */
  public static Mqtt connect(
      String uri,
      String clientId,
      List<String> topics,
      Runnable onConnected,
      BiConsumer<String, String> onMessage)
      throws InterruptedException {
    MqttClient client;
    try {
      client = new MqttClient(uri, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("bad MQTT address " + uri + ": " + e.getMessage(), e);
    }
    client.setTimeToWait(5000);
    MqttConnectOptions options = new MqttConnectOptions();
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay(1000);
    options.setCleanSession(true);
    options.setKeepAliveInterval(5);
    options.setConnectionTimeout(3);
    options.setSocketFactory(new NoDelaySockets());
    client.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            Thread.ofVirtual()
                .name("mqtt-subscribe/" + clientId)
                .start(
                    () -> {
                      try {
                        for (String t : topics) {
                          client.subscribe(t, 1);
                        }
                        onConnected.run();
                      } catch (MqttException e) {
                        System.err.println("mqtt: cannot subscribe: " + e.getMessage());
                      }
                    });
          }

          @Override
          public void connectionLost(Throwable cause) {
            System.err.println("mqtt: connection lost (" + cause.getMessage() + "); reconnecting");
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            onMessage.accept(
                topic, new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    long backoff = 50;
    while (true) {
      try {
        client.connect(options);
        return new Mqtt(client);
      } catch (MqttException e) {
        System.err.println(
            "mqtt: cannot connect to " + uri + " (" + e.getMessage() + "); retrying");
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 1000);
      }
    }
  }

  /**
   * Publishes {@code payload} to {@code topic}; with QoS 1 it returns once the broker has it.
   *
   * @throws MqttException when not connected or the broker does not acknowledge in 5 s
   */
  public void publish(String topic, String payload, int qos, boolean retained)
      throws MqttException {
    client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained);
  }

  /**
   * Plain sockets with TCP_NODELAY: MQTT messages are small and latency matters more than packets.
   */
  private static final class NoDelaySockets extends javax.net.SocketFactory {
    @Override
    public java.net.Socket createSocket() throws java.io.IOException {
      java.net.Socket s = new java.net.Socket();
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
      java.net.Socket s = new java.net.Socket(host, port);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket(
        String host, int port, java.net.InetAddress local, int localPort)
        throws java.io.IOException {
      java.net.Socket s = new java.net.Socket(host, port, local, localPort);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port)
        throws java.io.IOException {
      java.net.Socket s = new java.net.Socket(host, port);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket(
        java.net.InetAddress host, int port, java.net.InetAddress local, int localPort)
        throws java.io.IOException {
      java.net.Socket s = new java.net.Socket(host, port, local, localPort);
      s.setTcpNoDelay(true);
      return s;
    }
  }

  @Override
  public void close() {
    try {
      client.disconnectForcibly(500, 500);
      client.close();
    } catch (MqttException ignored) {
      // closing
    }
  }
}
