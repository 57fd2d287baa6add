"""Constants of the TextBoost SMS integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "textboost"
MANUFACTURER: Final = "TextBoost SMS"
MODEL: Final = "SMS gateway account"

# Config entry data
CONF_BASE_URL: Final = "base_url"
CONF_ADVANCED: Final = "advanced"
CONF_NOTIFY_SERVICE: Final = "notify_service"

# Options
CONF_SENDER_ID: Final = "sender_id"
CONF_VOICE_LANGUAGE: Final = "voice_language"
CONF_VOICE_GENDER: Final = "voice_gender"
CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_LOW_BALANCE: Final = "low_balance_threshold"
CONF_MAX_SEGMENTS: Final = "max_segments"
CONF_QUEUE_TTL: Final = "queue_ttl"

DEFAULT_BASE_URL: Final = "https://www.textboostsms.com/api/v3/"
DEFAULT_NOTIFY_SERVICE: Final = "textboost_sms"
DEFAULT_VOICE_LANGUAGE: Final = "en-gb"
DEFAULT_VOICE_GENDER: Final = "female"
DEFAULT_SCAN_INTERVAL: Final = 15  # minutes
MIN_SCAN_INTERVAL: Final = 5  # minutes
DEFAULT_LOW_BALANCE: Final = 10.0
DEFAULT_MAX_SEGMENTS: Final = 6
DEFAULT_QUEUE_TTL: Final = 60  # minutes
GROUPS_SCAN_INTERVAL: Final = timedelta(days=1)
COUNT_INTERVAL: Final = timedelta(days=1)
COUNTS_PER_POLL: Final = 100

# Config subentries
SUBENTRY_RECIPIENT: Final = "recipient"
CONF_PHONE: Final = "phone"

# Events
EVENT_MESSAGE_STATUS: Final = "textboost_message_status"
EVENT_MESSAGE_DROPPED: Final = "textboost_message_dropped"
EVENT_OUTCOME_UNKNOWN: Final = "textboost_outcome_unknown"

# Repair issues
ISSUE_LOW_BALANCE: Final = "low_balance"

# Spending: statistics, guard rails and Assist tools (options section "spending")
CONF_SPENDING: Final = "spending"
CONF_DAILY_CAP: Final = "daily_spend_cap"
CONF_SPEND_UNIT: Final = "spend_unit"
CONF_LOOP_MAX: Final = "loop_max_messages"
CONF_LOOP_WINDOW: Final = "loop_window"
CONF_LLM_ANY_NUMBER: Final = "assist_any_number"
DEFAULT_LOOP_WINDOW: Final = 10  # minutes
ISSUE_DAILY_CAP: Final = "daily_cap_reached"
ISSUE_LOOP_BREAKER: Final = "loop_breaker"
ISSUE_LOOP_BREAKER_UNKNOWN: Final = "loop_breaker_unknown"

# Receiving messages (options section "receiving"; the webhook id is a secret)
CONF_RECEIVING: Final = "receiving"
CONF_RECEIVE_MODE: Final = "mode"
CONF_RECEIVE_VERIFY: Final = "verify"
CONF_RECEIVE_POLL_INTERVAL: Final = "poll_interval"
CONF_RECEIVE_KEYWORDS: Final = "keywords"
CONF_RECEIVE_ACCEPT_FROM: Final = "accept_from"
CONF_WEBHOOK_ID: Final = "webhook_id"
RECEIVE_OFF: Final = "off"
RECEIVE_WEBHOOK: Final = "webhook"
RECEIVE_POLLING: Final = "polling"
RECEIVE_BOTH: Final = "both"
RECEIVE_MODES: Final = (RECEIVE_OFF, RECEIVE_WEBHOOK, RECEIVE_POLLING, RECEIVE_BOTH)
ACCEPT_ANYONE: Final = "anyone"
ACCEPT_KNOWN: Final = "known"
DEFAULT_RECEIVE_POLL_INTERVAL: Final = 5  # minutes
EVENT_MESSAGE_RECEIVED: Final = "textboost_message_received"
