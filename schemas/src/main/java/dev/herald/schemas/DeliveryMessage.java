package dev.herald.schemas;

import java.util.UUID;

/** A rendered message on a channel's delivery lane. */
public sealed interface DeliveryMessage permits EmailMessage, PushMessage {

    /** The notification this message delivers. */
    UUID notificationId();

    /** The recipient. */
    String userId();

    /** The channel that delivers it. */
    Channel channel();
}
