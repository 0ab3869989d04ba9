from django.db import models


class WorkerBeat(models.Model):
    """A running `sitrep worker` process: its clock writes the beat on every tick, so a task
    left running by a process that stopped beating can be told from one still at work."""

    name = models.CharField(max_length=40, unique=True)  # the prefix of its task runners' ids
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    tick = models.FloatField()  # seconds between beats
    started = models.DateTimeField()
    beat = models.DateTimeField()

    class Meta:
        ordering = ["-beat"]

    def __str__(self):
        return f"{self.name} on {self.host} (pid {self.pid})"
