"""What the media library tells the apps that show its images."""

from django.dispatch import Signal

# Sent with `ids` when images' sizes are made or their descriptions change: pages that show
# them are made again.
media_changed = Signal()
