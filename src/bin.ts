#!/usr/bin/env node
console.log("fbk")
