// Bundles the demo page (www/) against the built npm package (pkg/), exactly as a user's webpack 5
// project would consume it: the `outtake` import resolves to pkg/, its worker and .wasm are
// emitted by webpack's own `new URL(..., import.meta.url)` handling.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import CopyWebpackPlugin from 'copy-webpack-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));

export default (_env, argv) => ({
  mode: argv.mode || 'production',
  entry: path.join(here, 'www/main.js'),
  output: {
    path: path.join(here, 'www/dist'),
    filename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: true,
  },
  resolve: {
    alias: { outtake: path.join(here, 'pkg') },
  },
  devtool: argv.mode === 'development' ? 'source-map' : false,
  performance: { hints: false },
  plugins: [
    new HtmlWebpackPlugin({ template: path.join(here, 'www/index.html') }),
    new CopyWebpackPlugin({ patterns: [{ from: path.join(here, 'www/assets'), to: 'assets' }] }),
  ],
});
