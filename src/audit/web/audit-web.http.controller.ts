import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import { PUBLIC_DIR, contentSecurityPolicy, webAssets, type WebAsset } from './audit-web.assets.js';

/**
 * The regulators' web page (docs/audit.md, "The web page"): static files only, public, since they
 * hold no data. Everything the page shows it fetches from the signed /v1 routes with a key that
 * never leaves the browser, and checks there.
 */
@Controller('audit')
@Public()
export class AuditWebController {
  private readonly assets = webAssets();
  private readonly csp = contentSecurityPolicy(readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8'));

  @Get()
  page(@Res() response: Response): Promise<void> {
    return this.send(this.assets.get('index.html')!, response);
  }

  @Get('*path')
  asset(@Req() request: Request, @Res() response: Response): Promise<void> {
    // The path as sent, not Express's decoded parameter: `%2e%2e` stays what it is, and fails the
    // allow-list lookup like any other name.
    const name = request.path.replace(/^\/audit\//, '');
    const asset = this.assets.get(name === '' ? 'index.html' : name);
    if (asset === undefined) throw ProblemException.notFound('asset_not_found', `No file /audit/${name}.`);
    return this.send(asset, response);
  }

  private async send(asset: WebAsset, response: Response): Promise<void> {
    const body = await fs.readFile(asset.file);
    response
      .status(200)
      .set({
        'content-type': asset.contentType,
        'cache-control': 'no-cache',
        'content-security-policy': this.csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      .send(body);
  }
}
