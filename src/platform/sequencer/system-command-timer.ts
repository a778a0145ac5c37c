import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SubmittedCommand } from './sequenced-module.js';
import type { SequencerHost } from './sequencer.host.js';

/**
 * A process that submits a command as the `system` actor every interval, when there is something
 * for it to do: pending transfers to expire, queued payments to settle. The command is decided
 * and recorded like any other, so a restart replays its effects exactly and nothing happens twice;
 * one is in flight at a time; a failure is logged and tried again at the next tick.
 */
export abstract class SystemCommandTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  protected constructor(
    private readonly sequencer: SequencerHost,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Whether there is anything to do now (read from memory; cheap: it runs every tick). */
  protected abstract due(): boolean;
  protected abstract command(): SubmittedCommand;

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Submits the command if it is due and none is in flight; never throws. */
  async tick(): Promise<void> {
    if (this.running || !this.sequencer.isWriting || !this.due()) return;
    this.running = true;
    try {
      await this.sequencer.execute({ command: this.command(), metadata: { actor: 'system' } });
    } catch (error) {
      this.logger.warn(`${this.command().type} failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
